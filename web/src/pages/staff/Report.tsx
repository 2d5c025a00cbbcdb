// The yearly activity report of a federation: every figure of the four services' /v1/stats, with charts, and
// the services' own XLSX and PDF of the same figures (the page formats, it never recomputes).
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { data, events, notifications, registry, training } from "../../api/client";
import { Page } from "../../components/Layout";
import { SelectField } from "../../components/Field";
import { ErrorNotice, Loading } from "../../components/status";
import { useLoad } from "../../components/useLoad";
import { BarChart, Download } from "../../components/staff/ui";
import { useSession } from "../../auth/session";
import { FEDERATIONS, label } from "../../lib/labels";
import { bars, columns, figureLabel, formatFigure, isCountMap, isTable, participation, reportYears, type Row } from "../../lib/staff/report";

export function ReportChooser() {
  const session = useSession();
  const navigate = useNavigate();
  const [federation, setFederation] = useState(session.me?.federation ?? "apmsl");
  const [year, setYear] = useState(String(new Date().getFullYear() - 1));
  return (
    <Page title="Rapport d’activité">
      <form className="toolbar" onSubmit={(e) => { e.preventDefault(); navigate(`/gestion/rapport/${federation}/${year}`); }}>
        <SelectField label="Fédération" options={Object.entries(FEDERATIONS)} value={federation} onChange={(e) => setFederation(e.target.value)} />
        <SelectField label="Année" options={reportYears().map((y) => [String(y), String(y)])} value={year} onChange={(e) => setYear(e.target.value)} />
        <button type="submit">Voir le rapport</button>
      </form>
    </Page>
  );
}

type Stats = Record<string, unknown>;

const SECTIONS = [
  { key: "registry", title: "Structures et coordinateurs·rices", base: "/registry/v1/stats" },
  { key: "events", title: "Rencontres et événements", base: "/events/v1/stats" },
  { key: "training", title: "Formations PACTE", base: "/training/v1/stats" },
  { key: "notifications", title: "Notifications", base: "/notifications/v1/stats" },
] as const;

export function ReportPage() {
  const { federation = "", year = "" } = useParams();
  const y = Number(year);
  const query = { federation, year: y };
  const load = (key: string) => {
    switch (key) {
      case "registry": return data(registry.GET("/registry/v1/stats", { params: { query } }));
      case "events": return data(events.GET("/events/v1/stats", { params: { query } }));
      case "training": return data(training.GET("/training/v1/stats", { params: { query } }));
      default: return data(notifications.GET("/notifications/v1/stats", { params: { query } }));
    }
  };
  const stats = useLoad(() => Promise.all(SECTIONS.map((s) => (load(s.key) as Promise<unknown>)
    .then((value) => ({ ok: true as const, value: value as Stats }))
    .catch((error: unknown) => ({ ok: false as const, error })))), [federation, year]);
  return (
    <Page title={`Rapport d’activité ${year} — ${label(FEDERATIONS, federation)}`}
      lead="Chiffres calculés par les services ; les fichiers XLSX et PDF reprennent les mêmes chiffres.">
      <nav className="actions" aria-label="Années">
        <Link to={`/gestion/rapport/${federation}/${y - 1}`}>← {y - 1}</Link>
        {y < new Date().getFullYear() && <Link to={`/gestion/rapport/${federation}/${y + 1}`}>{y + 1} →</Link>}
      </nav>
      {stats.state === "loading" && <Loading what="Calcul des chiffres…" />}
      {stats.state === "error" && <ErrorNotice error={stats.error} onRetry={stats.reload} />}
      {stats.state === "ok" && SECTIONS.map((section, i) => {
        const result = stats.data[i];
        const q = `?federation=${encodeURIComponent(federation)}&year=${y}`;
        return (
          <section key={section.key} aria-labelledby={`s-${section.key}`} className="report-section" data-section={section.key}>
            <h2 id={`s-${section.key}`}>{section.title}</h2>
            <div className="actions">
              <Download path={`${section.base}/report.xlsx${q}`} fallback={`rapport-${section.key}-${federation}-${y}.xlsx`}>Télécharger en XLSX</Download>
              <Download path={`${section.base}/report.pdf${q}`} fallback={`rapport-${section.key}-${federation}-${y}.pdf`}>Télécharger en PDF</Download>
            </div>
            {result.ok ? <Figures stats={result.value} path={section.key} /> : <ErrorNotice error={result.error} />}
          </section>
        );
      })}
    </Page>
  );
}

const SKIP = new Set(["federation", "year", "department", "territory", "as_of"]);

/** Every figure of one service's stats: numbers as tiles, count maps as a chart with their table, lists as tables. */
function Figures({ stats, path }: { stats: Stats; path: string }) {
  const scalars = Object.entries(stats).filter(([k, v]) => !SKIP.has(k) && (v === null || typeof v !== "object"));
  const nested = Object.entries(stats).filter(([k, v]) => !SKIP.has(k) && v !== null && typeof v === "object");
  return (
    <>
      {scalars.length > 0 && <Tiles entries={scalars} path={path} />}
      {nested.map(([key, value]) => <Block key={key} name={key} value={value} path={`${path}.${key}`} />)}
    </>
  );
}

function Tiles({ entries, path }: { entries: [string, unknown][]; path: string }) {
  return (
    <dl className="figures">
      {entries.map(([k, v]) => (
        <div key={k} data-figure={`${path}.${k}`}><dt>{figureLabel(k)}</dt><dd>{formatFigure(k, v)}</dd></div>
      ))}
    </dl>
  );
}

function Block({ name, value, path }: { name: string; value: unknown; path: string }) {
  const title = figureLabel(name);
  if (isTable(value)) {
    return <><h3>{title}</h3><FigureTable rows={value} path={path} groups={name === "local_groups"} /></>;
  }
  if (Array.isArray(value)) {
    return <><h3>{title}</h3><p data-figure={path}>{value.length ? formatFigure(name, value) : "Aucune donnée."}</p></>;
  }
  if (isCountMap(value)) {
    return (
      <>
        <h3>{title}</h3>
        <BarChart title={title} data={bars(value)} />
        <Tiles entries={Object.entries(value)} path={path} />
      </>
    );
  }
  const obj = value as Row;
  const scalars = Object.entries(obj).filter(([, v]) => v === null || typeof v !== "object");
  const nested = Object.entries(obj).filter(([, v]) => v !== null && typeof v === "object");
  return (
    <>
      <h3>{title}</h3>
      {scalars.length > 0 && <Tiles entries={scalars} path={path} />}
      {nested.map(([k, v]) => <Block key={k} name={k} value={v} path={`${path}.${k}`} />)}
    </>
  );
}

function FigureTable({ rows, path, groups }: { rows: Row[]; path: string; groups?: boolean }) {
  if (!rows.length) return <p>Aucune donnée.</p>;
  const cols = columns(rows).filter((c) => !(groups && c === "rate_unavailable_reason"));
  const numeric = (c: string) => rows.every((r) => r[c] == null || typeof r[c] === "number");
  return (
    <div className="table-scroll" role="region" aria-label={figureLabel(path.split(".").pop() ?? "")} tabIndex={0}>
      <table data-figure={path}>
        <thead><tr>{cols.map((c) => <th scope="col" key={c} className={numeric(c) ? "num" : undefined}>{figureLabel(c)}</th>)}</tr></thead>
        <tbody>{rows.map((r, i) => (
          <tr key={i}>{cols.map((c) => (
            <td key={c} className={numeric(c) ? "num" : undefined} data-figure={`${path}.${i}.${c}`}>
              {groups && c === "participation_rate" ? participation(r) : formatFigure(c, r[c])}</td>))}</tr>))}</tbody>
      </table>
    </div>
  );
}
