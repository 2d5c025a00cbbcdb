// The back-office's shared pieces: its menu, downloads with the access token, confirmations, conflicts,
// an accessible SVG bar chart, pagination.
import { useId, useState, type ReactNode } from "react";
import { NavLink } from "react-router-dom";
import { ApiError, problemMessage } from "../../api/problem";
import { useSession } from "../../auth/session";
import { filenameFrom } from "../../lib/staff/files";
import { isConflict } from "../../lib/staff/api";
import "./staff.css";

const MENU: [string, string][] = [
  ["/gestion", "Tableau de bord"],
  ["/gestion/structures", "Structures"],
  ["/gestion/personnes", "Personnes"],
  ["/gestion/groupes", "Groupes locaux"],
  ["/gestion/territoires", "Territoires"],
  ["/gestion/evenements", "Événements"],
  ["/gestion/formations", "Formations"],
  ["/gestion/notifications", "Notifications"],
  ["/gestion/rapport", "Rapport d’activité"],
];

export function StaffMenu() {
  return (
    <nav aria-label="Menu de gestion" className="staff-menu">
      <ul>
        {MENU.map(([to, text]) => (
          <li key={to}><NavLink to={to} end={to === "/gestion"}>{text}</NavLink></li>
        ))}
      </ul>
    </nav>
  );
}

/** A file from the APIs (the token goes with the request), saved under the server's file name. */
export function Download({ path, fallback, children }: { path: string; fallback: string; children: ReactNode }) {
  const session = useSession();
  const [state, setState] = useState<"idle" | "busy" | "error">("idle");
  const [message, setMessage] = useState("");
  const run = async () => {
    setState("busy");
    try {
      const response = await fetch(path, {
        headers: session.user ? { Authorization: `Bearer ${session.user.access_token}` } : {},
      });
      if (!response.ok) {
        const problem = await response.json().catch(() => null);
        throw new ApiError(response.status, problem);
      }
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = filenameFrom(response.headers.get("Content-Disposition"), fallback);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 5000);
      setState("idle");
    } catch (e) {
      setMessage(e instanceof ApiError && e.status === 404
        ? "Cet export n’est pas encore disponible sur le serveur."
        : e instanceof Error ? e.message : "Le téléchargement a échoué.");
      setState("error");
    }
  };
  return (
    <span className="download">
      <button type="button" className="secondary" onClick={run} disabled={state === "busy"}>
        {state === "busy" ? "Préparation…" : children}
      </button>
      {state === "error" && <span className="field-error" role="alert"> {message}</span>}
    </span>
  );
}

/** A button that asks before doing something that cannot be undone. */
export function Confirm({ label, question, confirmLabel, onConfirm, danger = true, disabled, children }: {
  label: string; question: ReactNode; confirmLabel: string; onConfirm: () => Promise<void> | void;
  danger?: boolean; disabled?: boolean; children?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const id = useId();
  if (!open) {
    return <button type="button" className={danger ? "danger" : undefined} disabled={disabled}
      onClick={() => setOpen(true)}>{label}</button>;
  }
  return (
    <div className="confirm" role="group" aria-labelledby={`${id}-q`}>
      <p id={`${id}-q`}><strong>{question}</strong></p>
      {children}
      <button type="button" className={danger ? "danger" : undefined} disabled={busy}
        onClick={async () => { setBusy(true); try { await onConfirm(); } finally { setBusy(false); setOpen(false); } }}>
        {confirmLabel}
      </button>{" "}
      <button type="button" className="secondary" onClick={() => setOpen(false)}>Annuler</button>
    </div>
  );
}

/** An error of a form: a stale If-Match is said plainly, with the way out. */
export function FormError({ error, onReload }: { error: unknown; onReload?: () => void }) {
  if (error == null) return null;
  if (isConflict(error)) {
    return (
      <div className="notice error" role="alert">
        <p>Modifié par quelqu’un d’autre entre-temps — rechargez pour voir la version actuelle (vos changements
          non enregistrés seront perdus).</p>
        {onReload && <button type="button" onClick={onReload}>Recharger</button>}
      </div>
    );
  }
  const message = error instanceof ApiError ? problemMessage(error.problem, error.status)
    : error instanceof Error ? error.message : "Une erreur est survenue.";
  return <div className="notice error" role="alert"><p>{message}</p></div>;
}

export interface ChartBar { label: string; value: number }

/** Horizontal bars in plain SVG, with the numbers written on them; the figures are also in a table nearby. */
export function BarChart({ title, data, unit = "" }: { title: string; data: ChartBar[]; unit?: string }) {
  const id = useId();
  if (!data.length) return null;
  const max = Math.max(1, ...data.map((d) => d.value));
  const row = 26;
  const labelWidth = 210;
  const width = 560;
  const height = data.length * row + 8;
  const fmt = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });
  return (
    <figure className="chart">
      <svg role="img" aria-labelledby={`${id}-t`} viewBox={`0 0 ${width} ${height}`} width="100%"
        preserveAspectRatio="xMinYMin meet">
        <title id={`${id}-t`}>{`${title} : ${data.map((d) => `${d.label} ${fmt.format(d.value)}${unit}`).join(", ")}`}</title>
        {data.map((d, i) => {
          const w = Math.max(2, ((width - labelWidth - 60) * d.value) / max);
          return (
            <g key={d.label} transform={`translate(0, ${i * row + 4})`}>
              <text x={labelWidth - 8} y={row / 2 + 4} textAnchor="end" className="chart-label">{d.label}</text>
              <rect x={labelWidth} y={3} width={w} height={row - 8} className="chart-bar" rx={2} />
              <text x={labelWidth + w + 6} y={row / 2 + 4} className="chart-value">{fmt.format(d.value)}{unit}</text>
            </g>
          );
        })}
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}

export function Pager({ page, perPage, total, onPage }: { page: number; perPage: number; total: number; onPage: (p: number) => void }) {
  const last = Math.max(1, Math.ceil(total / perPage));
  if (last <= 1) return <p className="hint">{total} résultat{total > 1 ? "s" : ""}</p>;
  return (
    <nav className="pager" aria-label="Pages de résultats">
      <button type="button" className="secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>Précédente</button>
      <span> Page {page} sur {last} ({total} résultats) </span>
      <button type="button" className="secondary" disabled={page >= last} onClick={() => onPage(page + 1)}>Suivante</button>
    </nav>
  );
}

export function Badge({ tone, children }: { tone: string; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
