// The map of structures (public GeoJSON of the registry): filters, a tile map when tiles load, else a
// plain SVG map, and always the list (what a screen reader or a phone reads best).
import { useCallback, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { data, registry } from "../../api/client";
import { SelectField } from "../../components/Field";
import { Page } from "../../components/Layout";
import { PlainMap } from "../../components/PlainMap";
import { Empty, ErrorNotice, Loading, Notice } from "../../components/status";
import { TileMap } from "../../components/TileMap";
import { useLoad } from "../../components/useLoad";
import { useConfig } from "../../configContext";
import { countByKind, structurePoints } from "../../lib/geo";
import { FEDERATIONS, STRUCTURE_KINDS, STRUCTURE_STATUSES, label } from "../../lib/labels";
import { departmentOptions, federationOptions } from "../../lib/reference";

const FILTERS = ["federation", "kind", "status", "department"] as const;

export function MapPage() {
  const config = useConfig();
  const [search, setSearch] = useSearchParams();
  const query = Object.fromEntries(FILTERS.map((k) => [k, search.get(k) ?? ""]).filter(([, v]) => v));
  const [tilesFailed, setTilesFailed] = useState(false);
  const onTilesFailed = useCallback(() => setTilesFailed(true), []);
  const map = useLoad(async () => structurePoints(
    await data(registry.GET("/registry/v1/map", { params: { query: query as never } }))), [search.toString()]);
  const departments = useLoad(departmentOptions, []);
  const federations = useLoad(federationOptions, []);

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value); else next.delete(key);
    setSearch(next, { replace: true });
  };
  const withTiles = !!config.map.tile_url && !tilesFailed;

  return (
    <Page title="Carte des structures" lead="Maisons et centres de santé, CPTS et équipes de soins primaires accompagnés par les fédérations.">
      <form className="filters" aria-label="Filtrer la carte" onSubmit={(e) => e.preventDefault()}>
        <SelectField label="Fédération" value={query.federation ?? ""} empty="Toutes"
          options={federations.state === "ok" ? federations.data : Object.entries(FEDERATIONS)}
          onChange={(e) => set("federation", e.target.value)} />
        <SelectField label="Type" value={query.kind ?? ""} empty="Tous" options={Object.entries(STRUCTURE_KINDS)}
          onChange={(e) => set("kind", e.target.value)} />
        <SelectField label="Statut" value={query.status ?? ""} empty="Tous" options={Object.entries(STRUCTURE_STATUSES)}
          onChange={(e) => set("status", e.target.value)} />
        <SelectField label="Département" value={query.department ?? ""} empty="Tous"
          options={departments.state === "ok" ? departments.data : []} onChange={(e) => set("department", e.target.value)} />
      </form>
      {map.state === "loading" && <Loading what="Chargement de la carte…" />}
      {map.state === "error" && <ErrorNotice error={map.error} onRetry={map.reload} />}
      {map.state === "ok" && (
        <>
          <p className="legend">{map.data.length} structure{map.data.length > 1 ? "s" : ""} sur la carte
            {Object.entries(countByKind(map.data)).map(([kind, n]) => ` · ${kind} : ${n}`).join("")}</p>
          {tilesFailed && <Notice tone="warning">Le fond de carte n’a pas pu être chargé : carte simplifiée affichée.</Notice>}
          {map.data.length === 0 ? <Empty>Aucune structure localisée ne correspond à ces critères.</Empty>
            : withTiles ? <TileMap points={map.data} tileUrl={config.map.tile_url} attribution={config.map.attribution}
              onTilesFailed={onTilesFailed} />
              : <PlainMap points={map.data} />}
          {map.data.length > 0 && (
            <section aria-labelledby="list-title">
              <h2 id="list-title">Liste des structures</h2>
              <div className="table-wrap">
                <table>
                  <thead><tr><th scope="col">Nom</th><th scope="col">Type</th><th scope="col">Statut</th>
                    <th scope="col">Commune</th><th scope="col">Dép.</th></tr></thead>
                  <tbody>{map.data.map((p) => (
                    <tr key={p.id}><td>{p.name}</td><td>{p.kind}</td><td>{label(STRUCTURE_STATUSES, p.status)}</td>
                      <td>{p.city}</td><td>{p.department}</td></tr>
                  ))}</tbody>
                </table>
              </div>
            </section>
          )}
        </>
      )}
    </Page>
  );
}
