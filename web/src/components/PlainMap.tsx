// The map without tiles: the structures' points drawn in an SVG (offline, no tile server needed).
import { projector, type StructurePoint } from "../lib/geo";

// Metropolitan France's corners, so that a few points sit where they are in the country.
const FRANCE = [{ lon: -4.8, lat: 42.3 }, { lon: 8.3, lat: 51.1 }];

export const KIND_COLOURS: Record<string, string> = { MSP: "#0b5fa5", CPTS: "#a3336b", CDS: "#1f7a3a", ESP: "#8a5a00" };

export function PlainMap({ points }: { points: StructurePoint[] }) {
  const width = 640;
  const height = 480;
  const project = projector([...FRANCE, ...points], width, height);
  return (
    <svg className="plain-map" viewBox={`0 0 ${width} ${height}`} role="img"
      aria-label={`Carte simplifiée : ${points.length} structures (liste détaillée ci-dessous)`}>
      <rect width={width} height={height} fill="#f4f6f8" />
      {points.map((p) => {
        const { x, y } = project(p);
        return (
          <circle key={p.id} cx={x} cy={y} r={5} fill={KIND_COLOURS[p.kind] ?? "#444"} stroke="#fff" strokeWidth={1}>
            <title>{`${p.name} (${p.kind}), ${p.city}`}</title>
          </circle>
        );
      })}
    </svg>
  );
}
