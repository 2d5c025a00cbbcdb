// The map with tiles (Leaflet, tile URL from the console's configuration). When tiles cannot load
// (offline, a blocked tile server), it says so and the page falls back to the plain map.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { useEffect, useRef } from "react";
import type { StructurePoint } from "../lib/geo";
import { KIND_COLOURS } from "./PlainMap";

interface Props {
  points: StructurePoint[];
  tileUrl: string;
  attribution: string;
  onTilesFailed: () => void;
}

export function TileMap({ points, tileUrl, attribution, onTilesFailed }: Props) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    // No animations: a map removed mid-animation (a filter changed) throws in Leaflet.
    const map = L.map(element.current, { scrollWheelZoom: false, zoomAnimation: false, fadeAnimation: false,
      markerZoomAnimation: false }).setView([46.6, 2.4], 5);
    let failures = 0;
    let loaded = 0;
    const tiles = L.tileLayer(tileUrl, { attribution, maxZoom: 18 });
    tiles.on("tileload", () => { loaded += 1; });
    tiles.on("tileerror", () => {
      failures += 1;
      if (failures >= 3 && loaded === 0) onTilesFailed();
    });
    tiles.addTo(map);
    const markers = points.map((p) => L.circleMarker([p.lat, p.lon], {
      radius: 6, color: "#fff", weight: 1, fillColor: KIND_COLOURS[p.kind] ?? "#444", fillOpacity: 0.9,
    }).bindPopup(`<strong>${escapeHtml(p.name)}</strong><br>${escapeHtml(p.kind)} · ${escapeHtml(p.city)}`));
    if (markers.length) {
      const group = L.featureGroup(markers).addTo(map);
      map.fitBounds(group.getBounds().pad(0.1), { animate: false });
    }
    return () => { map.remove(); };
  }, [points, tileUrl, attribution, onTilesFailed]);
  return <div ref={element} className="tile-map" role="region" aria-label="Carte interactive des structures" />;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
