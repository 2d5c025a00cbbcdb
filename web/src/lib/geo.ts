// The map's data: GeoJSON of GET /registry/v1/map, and the plain SVG map drawn when no tiles load.
export interface StructurePoint {
  id: string;
  name: string;
  kind: string;
  status: string;
  city: string;
  department: string;
  federation: string;
  lon: number;
  lat: number;
}

interface Feature {
  type?: string;
  id?: unknown;
  geometry?: { type?: string; coordinates?: unknown } | null;
  properties?: Record<string, unknown> | null;
}

/** Points of the features that have a valid Point geometry, by name. */
export function structurePoints(geojson: unknown): StructurePoint[] {
  const features = ((geojson as { features?: Feature[] })?.features ?? []) as Feature[];
  const points: StructurePoint[] = [];
  for (const feature of features) {
    const coordinates = feature.geometry?.type === "Point" ? feature.geometry.coordinates : null;
    if (!Array.isArray(coordinates) || coordinates.length < 2) continue;
    const [lon, lat] = coordinates;
    if (typeof lon !== "number" || typeof lat !== "number") continue;
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lat) > 90 || Math.abs(lon) > 180) continue;
    const p = feature.properties ?? {};
    const text = (key: string) => (p[key] == null ? "" : String(p[key]));
    points.push({ id: feature.id == null ? text("id") : String(feature.id), name: text("name"), kind: text("kind"), status: text("status"), city: text("city"),
      department: text("department"), federation: text("federation"), lon, lat });
  }
  return points.sort((a, b) => a.name.localeCompare(b.name, "fr"));
}

export interface Projected { x: number; y: number }

/** An equirectangular projection of the points' bounding box (cos(lat) corrected) into width × height. */
export function projector(points: { lon: number; lat: number }[], width: number, height: number, margin = 12) {
  if (!points.length) return () => ({ x: width / 2, y: height / 2 });
  const lons = points.map((p) => p.lon);
  const lats = points.map((p) => p.lat);
  const [minLon, maxLon, minLat, maxLat] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const k = Math.cos(((minLat + maxLat) / 2) * (Math.PI / 180));
  const spanX = Math.max((maxLon - minLon) * k, 0.01);
  const spanY = Math.max(maxLat - minLat, 0.01);
  const scale = Math.min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY);
  const offsetX = (width - spanX * scale) / 2;
  const offsetY = (height - spanY * scale) / 2;
  return (p: { lon: number; lat: number }): Projected => ({
    x: offsetX + (p.lon - minLon) * k * scale,
    y: height - (offsetY + (p.lat - minLat) * scale),
  });
}

/** Counts by kind, for the legend. */
export function countByKind(points: StructurePoint[]): Record<string, number> {
  return points.reduce<Record<string, number>>((acc, p) => ({ ...acc, [p.kind]: (acc[p.kind] ?? 0) + 1 }), {});
}
