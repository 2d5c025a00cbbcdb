// The public agenda: every federation (/agenda), one federation (/agenda/:federation) or one local group
// (/groupes/:groupId); upcoming first, filters in the URL, the iCal feed to subscribe to.
import { useState, type FormEvent } from "react";
import { useParams, useSearchParams } from "react-router-dom";
import { data, events, registry } from "../../api/client";
import { FeedLinks } from "../../components/AddToCalendar";
import { EventCard, type AgendaItem } from "../../components/EventCard";
import { SelectField } from "../../components/Field";
import { Page } from "../../components/Layout";
import { LocalGroupLinks } from "../../components/LocalGroupLinks";
import { Empty, ErrorNotice, Loading } from "../../components/status";
import { useLoad } from "../../components/useLoad";
import { agendaQuery, filtersFromSearch, searchFromFilters, type AgendaFilters } from "../../lib/agenda";
import { EVENT_FORMATS, EVENT_KINDS, FEDERATIONS, label } from "../../lib/labels";
import { departmentOptions, federationOptions } from "../../lib/reference";

export function AgendaPage() {
  const { federation, groupId } = useParams();
  const fixed: Partial<AgendaFilters> = groupId ? { local_group_id: groupId } : federation ? { federation } : {};
  const [search, setSearch] = useSearchParams();
  const filters = filtersFromSearch(search, fixed);
  const [pages, setPages] = useState(1);
  const key = JSON.stringify(filters);

  const agenda = useLoad(async () => {
    const items: AgendaItem[] = [];
    let total = 0;
    let feed: string | null = null;
    for (let page = 1; page <= pages; page++) {
      const result = await data(events.GET("/events/v1/agenda", { params: { query: agendaQuery(filters, page) as never } }));
      items.push(...result.items);
      total = result.total;
      feed = result.feed_url ?? null;
      if (items.length >= total) break;
    }
    return { items, total, feed };
  }, [key, pages]);
  const group = useLoad(async () => (groupId
    ? data(registry.GET("/registry/v1/local-groups/public/{group_id}", { params: { path: { group_id: groupId } } }))
    : null), [groupId]);
  const departments = useLoad(departmentOptions, []);
  const federationsList = useLoad(federationOptions, []);

  const groupName = group.state === "ok" ? group.data?.label || group.data?.name : null;
  const title = groupId ? `Agenda du groupe local${groupName ? ` ${groupName}` : ""}`
    : federation ? `Agenda — ${label(FEDERATIONS, federation)}` : "Agenda des fédérations";

  const change = (next: Partial<AgendaFilters>) => {
    setPages(1);
    setSearch(searchFromFilters({ ...filters, ...next }, fixed), { replace: true });
  };
  const onSubmit = (e: FormEvent) => e.preventDefault();

  return (
    <Page title={title} lead="Réunions de groupes locaux, journées régionales, séminaires, webinaires et facilitations.">
      <form className="filters" onSubmit={onSubmit} aria-label="Filtrer l’agenda">
        {!federation && !groupId && (
          <SelectField label="Fédération" value={filters.federation ?? ""} empty="Toutes"
            options={federationsList.state === "ok" ? federationsList.data : Object.entries(FEDERATIONS)}
            onChange={(e) => change({ federation: e.target.value || undefined })} />
        )}
        <SelectField label="Type" value={filters.kind ?? ""} empty="Tous" options={Object.entries(EVENT_KINDS)}
          onChange={(e) => change({ kind: e.target.value || undefined })} />
        <SelectField label="Format" value={filters.format ?? ""} empty="Tous" options={Object.entries(EVENT_FORMATS)}
          onChange={(e) => change({ format: e.target.value || undefined })} />
        {!groupId && (
          <SelectField label="Département" value={filters.department ?? ""} empty="Tous"
            options={departments.state === "ok" ? departments.data : []}
            onChange={(e) => change({ department: e.target.value || undefined })} />
        )}
        <fieldset className="when">
          <legend>Période</legend>
          <label><input type="radio" name="when" checked={filters.when === "upcoming"}
            onChange={() => change({ when: "upcoming" })} /> À venir</label>
          <label><input type="radio" name="when" checked={filters.when === "past"}
            onChange={() => change({ when: "past" })} /> Passés</label>
        </fieldset>
      </form>

      {agenda.state === "ok" && agenda.data.feed && (
        <FeedLinks url={agenda.data.feed} what={groupId ? "l’agenda de ce groupe" : "l’agenda de cette fédération"} />
      )}

      <section aria-labelledby="results-title">
        <h2 id="results-title">{filters.when === "upcoming" ? "Événements à venir" : "Événements passés"}
          {agenda.state === "ok" ? ` (${agenda.data.total})` : ""}</h2>
        {agenda.state === "loading" && <Loading what="Chargement de l’agenda…" />}
        {agenda.state === "error" && <ErrorNotice error={agenda.error} onRetry={agenda.reload} />}
        {agenda.state === "ok" && (agenda.data.items.length === 0
          ? <Empty>Aucun événement ne correspond à ces critères.</Empty>
          : (
            <>
              <ul className="cards">{agenda.data.items.map((item) => <EventCard key={item.id} item={item} />)}</ul>
              {agenda.data.items.length < agenda.data.total && (
                <button type="button" className="secondary" onClick={() => setPages(pages + 1)}>Voir plus d’événements</button>
              )}
            </>
          ))}
      </section>
      {!groupId && (federation || filters.federation) && <LocalGroupLinks federation={(federation || filters.federation)!} />}
    </Page>
  );
}
