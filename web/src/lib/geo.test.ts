import { describe, expect, it } from "vitest";
import { countByKind, projector, structurePoints } from "./geo";

const feature = (name: string, lon: unknown, lat: unknown, kind = "MSP") => ({
  type: "Feature", id: `id-${name}`, geometry: { type: "Point", coordinates: [lon, lat] },
  properties: { name, kind, status: "aci", city: "Nantes", department: "44", federation: "apmsl" },
});

describe("the map's points", () => {
  it("keeps valid points, sorted by name in French order", () => {
    const points = structurePoints({ type: "FeatureCollection", features: [
      feature("Pôle santé Clisson", -1.28, 47.09), feature("Équipe Angers", -0.55, 47.47, "ESP"),
      feature("Sans point", null, null), { type: "Feature", geometry: null, properties: {} },
      feature("Hors limites", 200, 47)] });
    expect(points.map((p) => p.name)).toEqual(["Équipe Angers", "Pôle santé Clisson"]);
    expect(points[0].id).toBe("id-Équipe Angers"); // the feature's id is the structure's
    expect(countByKind(points)).toEqual({ ESP: 1, MSP: 1 });
  });

  it("reads nothing from an empty or odd answer", () => {
    expect(structurePoints(null)).toEqual([]);
    expect(structurePoints({ features: "no" })).toEqual([]);
  });

  it("projects west to the left and north to the top, inside the box", () => {
    const points = [{ lon: -1.5, lat: 47.2 }, { lon: 4.8, lat: 45.7 }, { lon: 7.7, lat: 48.6 }];
    const project = projector(points, 400, 300);
    const [nantes, lyon, strasbourg] = points.map(project);
    expect(nantes.x).toBeLessThan(lyon.x);
    expect(strasbourg.y).toBeLessThan(lyon.y);
    for (const p of [nantes, lyon, strasbourg]) {
      expect(p.x).toBeGreaterThanOrEqual(0); expect(p.x).toBeLessThanOrEqual(400);
      expect(p.y).toBeGreaterThanOrEqual(0); expect(p.y).toBeLessThanOrEqual(300);
    }
  });
});
