// The local groups of a federation, each a link to its own agenda (/groupes/:groupId).
import { Link } from "react-router-dom";
import { data, registry } from "../api/client";
import { useLoad } from "./useLoad";

export function LocalGroupLinks({ federation }: { federation: string }) {
  const groups = useLoad(() => data(registry.GET("/registry/v1/local-groups/public",
    { params: { query: { federation, per_page: 100 } } })), [federation]);
  if (groups.state !== "ok" || groups.data.items.length === 0) return null;
  return (
    <nav aria-labelledby="groups-title" className="groups">
      <h2 id="groups-title">Agendas des groupes locaux</h2>
      <ul>{groups.data.items.map((g) => (
        <li key={g.id}><Link to={`/groupes/${encodeURIComponent(g.id)}`}>{g.label || g.name}</Link>
          {g.department ? ` (${g.department})` : ""}</li>
      ))}</ul>
    </nav>
  );
}
