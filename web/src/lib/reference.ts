// Public reference lists (no token): federations and departments, read once per page load.
import { data, registry } from "../api/client";

let departments: Promise<[string, string][]> | null = null;
let federations: Promise<[string, string][]> | null = null;

export function departmentOptions(): Promise<[string, string][]> {
  departments ??= (async () => {
    const all: [string, string][] = [];
    for (let page = 1; page <= 3; page++) {
      const result = await data(registry.GET("/registry/v1/departments", { params: { query: { page, per_page: 100 } } }));
      all.push(...result.items.map((d): [string, string] => [d.code, `${d.code} — ${d.name}`]));
      if (all.length >= result.total) break;
    }
    return all;
  })().catch((error) => { departments = null; throw error; });
  return departments;
}

export function federationOptions(): Promise<[string, string][]> {
  federations ??= data(registry.GET("/registry/v1/federations", { params: { query: { per_page: 100 } } }))
    .then((result) => result.items.map((f): [string, string] => [f.code, f.name]))
    .catch((error) => { federations = null; throw error; });
  return federations;
}
