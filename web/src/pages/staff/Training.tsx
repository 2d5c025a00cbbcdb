// Training: programmes and cohorts; one cohort's back-office — applications and the selection committee
// (federation + ARS: scores, decisions, the decision trail), closing the selection, reserve list, seminars and
// half-day attendance, learners' validation and certificates (PDF with a QR code to the verification page).
import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router-dom";
import { data, training } from "../../api/client";
import { ApiError, fieldErrors } from "../../api/problem";
import type { components } from "../../api/schema/training";
import { Page } from "../../components/Layout";
import { SelectField, TextField } from "../../components/Field";
import { Empty, ErrorNotice, Loading, Notice } from "../../components/status";
import { useLoad } from "../../components/useLoad";
import { Confirm, Download, FormError } from "../../components/staff/ui";
import { formatDate } from "../../lib/dates";
import { APPLICATION_STATUSES, label } from "../../lib/labels";
import { withEtag } from "../../lib/staff/api";
import { averageScore, formatScore, halfDayLabel, parseScore, rankApplications } from "../../lib/staff/committee";

type Cohort = components["schemas"]["Cohort"];
type Application = components["schemas"]["Application"];
type Learner = components["schemas"]["Learner"];
type Seminar = components["schemas"]["Seminar"];

export const COHORT_STATUSES: Record<string, string> = {
  open: "Candidatures ouvertes", selection: "Sélection en cours", in_progress: "En cours", completed: "Terminée", cancelled: "Annulée",
};
const LEARNER_STATUSES: Record<string, string> = { enrolled: "Inscrit·e", withdrawn: "Abandon", certified: "Certifié·e", failed: "Non validé·e" };
const ATTENDANCE: Record<string, string> = { present: "Présent·e", absent: "Absent·e", late: "En retard", excused: "Excusé·e" };
const personName = (p?: { first_name?: string | null; last_name?: string | null } | null) =>
  p ? `${p.first_name ?? ""} ${p.last_name ?? ""}`.trim() || "Personne effacée" : "—";

export function TrainingHome() {
  const programmes = useLoad(() => data(training.GET("/training/v1/programmes", { params: { query: { per_page: 100 } } })), []);
  const cohorts = useLoad(() => data(training.GET("/training/v1/cohorts", { params: { query: { per_page: 100 } } })), []);
  const [values, setValues] = useState({ programme_id: "", city: "", seats: "12", starts_on: "", applications_close_on: "" });
  const [error, setError] = useState<unknown>(null);
  const errors = error instanceof ApiError ? fieldErrors(error.problem) : {};
  const set = (k: keyof typeof values) => (e: { target: { value: string } }) => setValues({ ...values, [k]: e.target.value });
  const create = async (e: FormEvent) => {
    e.preventDefault(); setError(null);
    try {
      await data(training.POST("/training/v1/cohorts", { body: { programme_id: values.programme_id, city: values.city, seats: Number(values.seats),
        starts_on: values.starts_on || undefined, applications_close_on: values.applications_close_on || undefined } as never }));
      cohorts.reload();
    } catch (err) { setError(err); }
  };
  const programmeName = (id: string) => programmes.state === "ok" ? programmes.data.items.find((p) => p.id === id)?.name ?? id : id;
  return (
    <Page title="Formations PACTE">
      <h2>Programmes</h2>
      {programmes.state === "loading" && <Loading />}
      {programmes.state === "error" && <ErrorNotice error={programmes.error} />}
      {programmes.state === "ok" && (
        <table><thead><tr><th scope="col">Programme</th><th scope="col">Code</th><th scope="col">Pour</th><th scope="col">Livrables demandés</th></tr></thead>
          <tbody>{programmes.data.items.map((p) => (
            <tr key={p.id}><td>{p.full_name ?? p.name}</td><td>{p.code}</td><td>{(p.structure_kinds ?? []).join(", ") || "—"}</td>
              <td>{(p.required_deliverables ?? []).join(", ") || "—"}</td></tr>))}</tbody></table>
      )}
      <h2>Cohortes</h2>
      {cohorts.state === "loading" && <Loading />}
      {cohorts.state === "error" && <ErrorNotice error={cohorts.error} />}
      {cohorts.state === "ok" && (cohorts.data.items.length === 0 ? <Empty>Aucune cohorte.</Empty> : (
        <table><thead><tr><th scope="col">Cohorte</th><th scope="col">Programme</th><th scope="col">Ville</th><th scope="col">Statut</th>
          <th scope="col" className="num">Places prises</th></tr></thead>
          <tbody>{cohorts.data.items.map((c) => (
            <tr key={c.id}><td><Link to={`/gestion/cohortes/${encodeURIComponent(c.id)}`}>{c.name}</Link></td>
              <td>{c.programme?.name ?? programmeName(c.programme_id)}</td><td>{c.city ?? "—"}</td><td>{label(COHORT_STATUSES, c.status)}</td>
              <td className="num">{c.taken ?? 0} / {c.seats}</td></tr>))}</tbody></table>
      ))}
      <form className="card" onSubmit={create} aria-labelledby="new-cohort"><h2 id="new-cohort">Ouvrir une cohorte</h2>
        <FormError error={error} />
        <div className="grid2">
          <SelectField label="Programme" required empty="Choisir…" value={values.programme_id} onChange={set("programme_id")} error={errors.programme_id}
            options={programmes.state === "ok" ? programmes.data.items.map((p) => [p.id, p.name]) : []} />
          <TextField label="Ville" required value={values.city} onChange={set("city")} error={errors.city} />
          <TextField label="Places" type="number" min={1} required value={values.seats} onChange={set("seats")} error={errors.seats} />
          <TextField label="Début" type="date" value={values.starts_on} onChange={set("starts_on")} error={errors.starts_on} />
          <TextField label="Clôture des candidatures" type="date" value={values.applications_close_on} onChange={set("applications_close_on")} error={errors.applications_close_on} />
        </div>
        <button type="submit">Ouvrir la cohorte</button>
      </form>
    </Page>
  );
}

export function CohortAdmin() {
  const { cohortId = "" } = useParams();
  const loaded = useLoad(async () => {
    const cohort = await withEtag(training.GET("/training/v1/cohorts/{cohort_id}", { params: { path: { cohort_id: cohortId } } }));
    const path = { cohort_id: cohortId };
    const [applications, learners, seminars, reserve] = await Promise.all([
      data(training.GET("/training/v1/cohorts/{cohort_id}/applications", { params: { path, query: { per_page: 100 } } })),
      data(training.GET("/training/v1/cohorts/{cohort_id}/learners", { params: { path, query: { per_page: 100 } } })),
      data(training.GET("/training/v1/cohorts/{cohort_id}/seminars", { params: { path, query: { per_page: 100 } } })),
      data(training.GET("/training/v1/cohorts/{cohort_id}/reserve", { params: { path } })).catch(() => null),
    ]);
    return { ...cohort, applications: applications.items, learners: learners.items, seminars: seminars.items, reserve };
  }, [cohortId]);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (loaded.state === "loading") return <Loading />;
  if (loaded.state === "error") return <ErrorNotice error={loaded.error} onRetry={loaded.reload} />;
  const { data: c, applications, learners, seminars, reserve } = loaded.data;
  const act = async (what: () => Promise<unknown>, text: string) => {
    setError(null);
    try { await what(); setNotice(text); loaded.reload(); } catch (e) { setError(e); }
  };
  const path = { cohort_id: c.id };
  const reserveItems = (Array.isArray(reserve) ? reserve : (reserve as { items?: Application[] } | null)?.items ?? []) as Application[];
  return (
    <Page title={c.name} lead={`${c.programme?.name ?? ""} · ${c.city ?? ""} · ${label(COHORT_STATUSES, c.status)} · ${c.taken ?? 0} / ${c.seats} places`}>
      {notice && <Notice tone="success">{notice}</Notice>}
      <FormError error={error} onReload={loaded.reload} />
      <div className="actions">
        {c.status === "open" && <button type="button" onClick={() => act(() => data(training.POST("/training/v1/cohorts/{cohort_id}/close-applications", { params: { path } })), "Candidatures closes : place à la sélection.")}>Clore les candidatures</button>}
        {c.status === "selection" && !c.selection_closed_at && (
          <Confirm label="Clore la sélection" danger={false} confirmLabel="Oui, clore la sélection"
            question="Clore la sélection ? Les candidatures acceptées prennent les places dans l’ordre du classement, les suivantes vont en liste de réserve, et chacun·e est prévenu·e."
            onConfirm={() => act(() => data(training.POST("/training/v1/cohorts/{cohort_id}/close-selection", { params: { path } })), "Sélection close.")} />
        )}
        {c.status === "selection" && c.selection_closed_at && <button type="button" onClick={() => act(() => data(training.POST("/training/v1/cohorts/{cohort_id}/start", { params: { path } })), "Cohorte démarrée.")}>Démarrer la cohorte</button>}
        {c.status === "in_progress" && (
          <Confirm label="Terminer la cohorte" danger={false} confirmLabel="Oui, terminer"
            question="Terminer la cohorte ? Les apprenant·es validé·es sont certifié·es, les autres sont non validé·es."
            onConfirm={() => act(() => data(training.POST("/training/v1/cohorts/{cohort_id}/complete", { params: { path } })), "Cohorte terminée.")} />
        )}
      </div>
      {(c.status_history ?? []).length > 0 && (
        <details><summary>Historique de la cohorte</summary>
          <ul>{(c.status_history ?? []).map((h, i) => <li key={i}>{h.at ? formatDate(h.at) : ""} : {label(COHORT_STATUSES, h.from) || "—"} → {label(COHORT_STATUSES, h.to)}</li>)}</ul>
        </details>
      )}
      <Committee cohort={c} onDone={() => { setNotice("Comité enregistré."); loaded.reload(); }} />
      <Applications cohort={c} applications={applications} onDone={(t) => { setNotice(t); loaded.reload(); }} />
      <section aria-labelledby="reserve"><h2 id="reserve">Liste de réserve</h2>
        {reserveItems.length === 0 ? <Empty>Personne en réserve.</Empty> : (
          <ol>{reserveItems.map((a) => <li key={a.id}>{personName(a.person)} — {a.structure && typeof a.structure === "object" && "name" in a.structure ? String(a.structure.name) : ""}</li>)}</ol>
        )}
      </section>
      <Seminars cohort={c} seminars={seminars} learners={learners} onDone={(t) => { setNotice(t); loaded.reload(); }} />
      <Learners cohort={c} learners={learners} onDone={(t) => { setNotice(t); loaded.reload(); }} />
    </Page>
  );
}

function Committee({ cohort, onDone }: { cohort: Cohort; onDone: () => void }) {
  const committee = (cohort.committee && typeof cohort.committee === "object" ? cohort.committee : null) as components["schemas"]["Committee"] | null;
  const [members, setMembers] = useState([{ name: "", body: "federation", role: "" }, { name: "", body: "ars", role: "" }]);
  const [satOn, setSatOn] = useState(new Date().toISOString().slice(0, 10));
  const [error, setError] = useState<unknown>(null);
  const open = (cohort.status === "open" || cohort.status === "selection") && !cohort.selection_closed_at;
  const submit = async (e: FormEvent) => {
    e.preventDefault(); setError(null);
    try {
      await data(training.POST("/training/v1/cohorts/{cohort_id}/committee", { params: { path: { cohort_id: cohort.id } },
        body: { sat_on: satOn, members: members.filter((m) => m.name.trim()).map((m) => ({ name: m.name.trim(), body: m.body as never, role: m.role || undefined })) } }));
      onDone();
    } catch (err) { setError(err); }
  };
  return (
    <section aria-labelledby="committee"><h2 id="committee">Comité de sélection</h2>
      {committee?.members?.length ? (
        <p>Réuni le {committee.sat_on ? formatDate(committee.sat_on) : "—"} : {committee.members.map((m) => `${m.name} (${m.body === "ars" ? "ARS" : "fédération"}${m.role ? `, ${m.role}` : ""})`).join(", ")}.</p>
      ) : <p>Pas encore de comité enregistré.</p>}
      {open && (
        <form className="card" onSubmit={submit} aria-label="Enregistrer le comité">
          <FormError error={error} />
          <TextField label="Date du comité" type="date" value={satOn} onChange={(e) => setSatOn(e.target.value)} />
          {members.map((m, i) => (
            <div className="toolbar" key={i}>
              <TextField label={`Membre ${i + 1} : nom`} value={m.name} onChange={(e) => setMembers(members.map((x, j) => j === i ? { ...x, name: e.target.value } : x))} />
              <SelectField label={`Membre ${i + 1} : instance`} options={[["federation", "Fédération"], ["ars", "ARS"]]} value={m.body}
                onChange={(e) => setMembers(members.map((x, j) => j === i ? { ...x, body: e.target.value } : x))} />
              <TextField label={`Membre ${i + 1} : fonction`} value={m.role} onChange={(e) => setMembers(members.map((x, j) => j === i ? { ...x, role: e.target.value } : x))} />
            </div>
          ))}
          <button type="button" className="secondary" onClick={() => setMembers([...members, { name: "", body: "federation", role: "" }])}>Ajouter un membre</button>{" "}
          <button type="submit">Enregistrer le comité</button>
        </form>
      )}
    </section>
  );
}

function Applications({ cohort, applications, onDone }: { cohort: Cohort; applications: Application[]; onDone: (t: string) => void }) {
  const committee = (cohort.committee && typeof cohort.committee === "object" ? cohort.committee : null) as components["schemas"]["Committee"] | null;
  const members = committee?.members ?? [];
  const deciding = cohort.status === "selection" && !cohort.selection_closed_at;
  const [error, setError] = useState<unknown>(null);
  const ranked = rankApplications(applications as never[]) as Application[];
  const act = async (what: () => Promise<unknown>, text: string) => {
    setError(null);
    try { await what(); onDone(text); } catch (e) { setError(e); }
  };
  return (
    <section aria-labelledby="applications"><h2 id="applications">Candidatures ({applications.length})</h2>
      <FormError error={error} />
      {cohort.status === "open" && <FileApplication cohortId={cohort.id} onDone={() => onDone("Candidature déposée.")} />}
      {ranked.length === 0 ? <Empty>Aucune candidature.</Empty> : ranked.map((a) => (
        <article key={a.id} className="card" aria-labelledby={`app-${a.id}`}>
          <h3 id={`app-${a.id}`}>{personName(a.person)} — {label(APPLICATION_STATUSES, a.status)}{a.placement ? ` (${a.placement === "reserve" ? `réserve n° ${a.reserve_rank ?? ""}` : a.placement})` : ""}</h3>
          <p>{a.structure && typeof a.structure === "object" && "name" in a.structure ? String(a.structure.name) : ""}
            {a.submitted_at ? ` · déposée le ${formatDate(a.submitted_at)}` : ""} · moyenne : <strong>{formatScore(averageScore(a as never))}</strong></p>
          {a.motivation && <p className="hint">« {a.motivation} »</p>}
          {(a.scores ?? []).length > 0 && (
            <ul>{(a.scores ?? []).map((s, i) => <li key={i}>{s.member} ({s.body === "ars" ? "ARS" : "fédération"}) : {formatScore(s.score)}{s.comment ? ` — ${s.comment}` : ""}</li>)}</ul>
          )}
          {deciding && ["submitted", "shortlisted", "accepted", "rejected"].includes(a.status) && (
            <>
              {["submitted", "shortlisted"].includes(a.status) && members.length > 0 && <ScoreForm application={a} members={members.map((m) => m.name)}
                onSave={(member, score, comment) => act(() => data(training.POST("/training/v1/applications/{application_id}/scores",
                  { params: { path: { application_id: a.id } }, body: { member, score, comment: comment || undefined } })), "Note enregistrée.")} />}
              <DecisionForm application={a} onDecide={(decision, reason) => act(() => data(training.POST("/training/v1/applications/{application_id}/decision",
                { params: { path: { application_id: a.id } }, body: { decision: decision as never, reason } })), "Décision enregistrée.")} />
            </>
          )}
          {(a.decisions ?? []).length > 0 && (
            <details><summary>Traçabilité des décisions ({(a.decisions ?? []).length})</summary>
              <ol>{(a.decisions ?? []).map((d, i) => (
                <li key={i}>{d.at ? new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Paris" }).format(new Date(d.at)) : ""} —{" "}
                  <strong>{label(APPLICATION_STATUSES, d.decision)}</strong> par {d.by ?? "—"}{d.score != null ? `, moyenne ${formatScore(d.score)}` : ""} : {d.reason}
                  {(d.committee ?? []).length > 0 && ` (comité : ${(d.committee ?? []).map((m) => String((m as { name?: string }).name ?? "")).join(", ")})`}</li>))}</ol>
            </details>
          )}
        </article>
      ))}
    </section>
  );
}

function ScoreForm({ application, members, onSave }: { application: Application; members: string[]; onSave: (m: string, s: number, c: string) => void }) {
  const [member, setMember] = useState(members[0] ?? "");
  const [score, setScore] = useState("");
  const [comment, setComment] = useState("");
  const value = parseScore(score);
  return (
    <form className="toolbar" aria-label={`Noter ${personName(application.person)}`} onSubmit={(e) => { e.preventDefault(); if (value != null) { onSave(member, value, comment); setScore(""); setComment(""); } }}>
      <SelectField label="Membre du comité" options={members.map((m) => [m, m])} value={member} onChange={(e) => setMember(e.target.value)} />
      <TextField label="Note sur 20" inputMode="decimal" value={score} onChange={(e) => setScore(e.target.value)}
        error={score && value == null ? "Une note entre 0 et 20." : undefined} />
      <TextField label="Commentaire" value={comment} onChange={(e) => setComment(e.target.value)} />
      <button type="submit" disabled={value == null}>Noter</button>
    </form>
  );
}

function DecisionForm({ application, onDecide }: { application: Application; onDecide: (d: string, r: string) => void }) {
  const [decision, setDecision] = useState(application.status === "submitted" ? "accepted" : application.status === "shortlisted" ? "accepted" : "accepted");
  const [reason, setReason] = useState("");
  return (
    <form className="toolbar" aria-label={`Décision pour ${personName(application.person)}`} onSubmit={(e) => { e.preventDefault(); onDecide(decision, reason); }}>
      <SelectField label="Décision" options={[["shortlisted", "Présélectionner"], ["accepted", "Accepter"], ["rejected", "Ne pas retenir"]]}
        value={decision} onChange={(e) => setDecision(e.target.value)} />
      <TextField label="Motif de la décision" required value={reason} onChange={(e) => setReason(e.target.value)} />
      <button type="submit" disabled={reason.trim().length < 3}>Enregistrer la décision</button>
    </form>
  );
}

function FileApplication({ cohortId, onDone }: { cohortId: string; onDone: () => void }) {
  const [values, setValues] = useState({ person_id: "", structure_id: "", motivation: "" });
  const [error, setError] = useState<unknown>(null);
  const errors = error instanceof ApiError ? fieldErrors(error.problem) : {};
  const set = (k: keyof typeof values) => (e: { target: { value: string } }) => setValues({ ...values, [k]: e.target.value });
  return (
    <form className="card" aria-label="Déposer une candidature" onSubmit={async (e) => {
      e.preventDefault(); setError(null);
      try {
        await data(training.POST("/training/v1/cohorts/{cohort_id}/applications", { params: { path: { cohort_id: cohortId } }, body: values }));
        setValues({ person_id: "", structure_id: "", motivation: "" }); onDone();
      } catch (err) { setError(err); }
    }}>
      <h3>Déposer une candidature pour une personne</h3>
      <FormError error={error} />
      <div className="grid2">
        <TextField label="Personne (id du registre)" value={values.person_id} onChange={set("person_id")} error={errors.person_id} required />
        <TextField label="Structure coordonnée (id)" value={values.structure_id} onChange={set("structure_id")} error={errors.structure_id} required />
        <TextField label="Motivation" value={values.motivation} onChange={set("motivation")} error={errors.motivation} required />
      </div>
      <button type="submit">Déposer la candidature</button>
    </form>
  );
}

function Seminars({ cohort, seminars, learners, onDone }: { cohort: Cohort; seminars: Seminar[]; learners: Learner[]; onDone: (t: string) => void }) {
  const [values, setValues] = useState({ theme: "", starts_on: "", ends_on: "", city: "" });
  const [error, setError] = useState<unknown>(null);
  const errors = error instanceof ApiError ? fieldErrors(error.problem) : {};
  const set = (k: keyof typeof values) => (e: { target: { value: string } }) => setValues({ ...values, [k]: e.target.value });
  return (
    <section aria-labelledby="seminars"><h2 id="seminars">Séminaires</h2>
      {seminars.length === 0 ? <Empty>Aucun séminaire programmé.</Empty> : seminars.map((s) => (
        <SeminarAttendance key={s.id} seminar={s} learners={learners} onDone={onDone} />
      ))}
      {cohort.status !== "completed" && cohort.status !== "cancelled" && (
        <form className="card" aria-label="Programmer un séminaire" onSubmit={async (e) => {
          e.preventDefault(); setError(null);
          try {
            await data(training.POST("/training/v1/cohorts/{cohort_id}/seminars", { params: { path: { cohort_id: cohort.id } },
              body: { theme: values.theme, starts_on: values.starts_on, ends_on: values.ends_on || values.starts_on, place: { city: values.city } } }));
            onDone("Séminaire programmé.");
          } catch (err) { setError(err); }
        }}>
          <h3>Programmer un séminaire</h3>
          <FormError error={error} />
          <div className="grid2">
            <TextField label="Thème" value={values.theme} onChange={set("theme")} error={errors.theme} required />
            <TextField label="Premier jour" type="date" value={values.starts_on} onChange={set("starts_on")} error={errors.starts_on} required />
            <TextField label="Dernier jour" type="date" value={values.ends_on} onChange={set("ends_on")} error={errors.ends_on} />
            <TextField label="Ville" value={values.city} onChange={set("city")} error={errors["place.city"]} required />
          </div>
          <button type="submit">Programmer</button>
        </form>
      )}
    </section>
  );
}

function SeminarAttendance({ seminar, learners, onDone }: { seminar: Seminar; learners: Learner[]; onDone: (t: string) => void }) {
  const attendance = useLoad(() => data(training.GET("/training/v1/seminars/{seminar_id}/attendance", { params: { path: { seminar_id: seminar.id } } })), [seminar.id]);
  const [grid, setGrid] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const halfDays = seminar.half_days ?? [];
  const recorded = attendance.state === "ok" ? Object.fromEntries((attendance.data.records ?? []).map((r) => [`${r.learner_id}|${r.half_day}`, r.status ?? ""])) : {};
  const enrolled = learners.filter((l) => l.status !== "withdrawn");
  const value = (l: string, h: string) => grid[`${l}|${h}`] ?? recorded[`${l}|${h}`] ?? "";
  const save = async () => {
    setError(null);
    const records = Object.entries(grid).filter(([, s]) => s).map(([key, status]) => {
      const [learner_id, half_day] = key.split("|");
      return { learner_id, half_day, status: status as never };
    });
    if (!records.length) return;
    try {
      const result = await data(training.PUT("/training/v1/seminars/{seminar_id}/attendance", { params: { path: { seminar_id: seminar.id } }, body: { records } }));
      setGrid({}); attendance.reload();
      onDone(`Présences enregistrées (${result.recorded ?? records.length}).${result.warned?.length ? ` ${result.warned.length} apprenant·e(s) atteignent le seuil d’absences : prévenu·es.` : ""}`);
    } catch (err) { setError(err); }
  };
  return (
    <div className="card">
      <h3>{seminar.theme} — {formatDate(seminar.starts_on)}{seminar.ends_on !== seminar.starts_on ? ` au ${formatDate(seminar.ends_on)}` : ""}{seminar.place?.city ? `, ${seminar.place.city}` : ""}</h3>
      {attendance.state === "ok" && attendance.data.rate != null && <p>Taux de présence : {new Intl.NumberFormat("fr-FR", { style: "percent" }).format(attendance.data.rate)}</p>}
      <FormError error={error} />
      {enrolled.length === 0 || halfDays.length === 0 ? <Empty>Pas encore d’apprenant·es à émarger.</Empty> : (
        <>
          <table><caption>Présences par demi-journée</caption>
            <thead><tr><th scope="col">Apprenant·e</th>{halfDays.map((h) => <th scope="col" key={h}>{halfDayLabel(h)}</th>)}</tr></thead>
            <tbody>{enrolled.map((l) => (
              <tr key={l.id}><th scope="row">{personName(l.person)}</th>
                {halfDays.map((h) => (
                  <td key={h}><select aria-label={`${personName(l.person)}, ${halfDayLabel(h)}`} value={value(l.id, h)}
                    onChange={(e) => setGrid({ ...grid, [`${l.id}|${h}`]: e.target.value })}>
                    <option value="">—</option>{Object.entries(ATTENDANCE).map(([v, t]) => <option key={v} value={v}>{t}</option>)}
                  </select></td>))}</tr>))}</tbody>
          </table>
          <button type="button" onClick={save} disabled={!Object.keys(grid).length}>Enregistrer les présences</button>
        </>
      )}
    </div>
  );
}

function Learners({ cohort, learners, onDone }: { cohort: Cohort; learners: Learner[]; onDone: (t: string) => void }) {
  const programme = useLoad(() => data(training.GET("/training/v1/programmes/{programme_id}", { params: { path: { programme_id: cohort.programme_id } } })), [cohort.programme_id]);
  const required = programme.state === "ok" ? programme.data.required_deliverables ?? [] : [];
  return (
    <section aria-labelledby="learners"><h2 id="learners">Apprenant·es et validation ({learners.length})</h2>
      {learners.length === 0 ? <Empty>Pas encore d’apprenant·es (ils arrivent à la clôture de la sélection).</Empty> :
        learners.map((l) => <LearnerCard key={l.id} learner={l} cohort={cohort} required={required} onDone={onDone} />)}
    </section>
  );
}

function LearnerCard({ learner, cohort, required, onDone }: { learner: Learner; cohort: Cohort; required: string[]; onDone: (t: string) => void }) {
  const [error, setError] = useState<unknown>(null);
  const [defence, setDefence] = useState({ date: new Date().toISOString().slice(0, 10), outcome: "passed" });
  const received = new Set((learner.deliverables ?? []).map((d) => d.name));
  const path = { learner_id: learner.id };
  const act = async (what: () => Promise<unknown>, text: string) => {
    setError(null);
    try { await what(); onDone(text); } catch (e) { setError(e); }
  };
  const def = (learner.defence && typeof learner.defence === "object" ? learner.defence : null) as components["schemas"]["Defence"] | null;
  const name = personName(learner.person);
  return (
    <article className="card" aria-label={name}>
      <h3>{name} — {label(LEARNER_STATUSES, learner.status)}{learner.from_reserve ? " (depuis la réserve)" : ""}</h3>
      <p>Absences : {learner.absences ?? 0}{cohort.absence_threshold ? ` (seuil ${cohort.absence_threshold})` : ""}</p>
      <FormError error={error} />
      {learner.status === "enrolled" && (
        <>
          <p>Livrables :</p>
          <ul>{required.map((d) => (
            <li key={d}>{d} : {received.has(d) ? "reçu ✓" : (
              <button type="button" className="secondary" onClick={() => act(() => data(training.POST("/training/v1/learners/{learner_id}/deliverables",
                { params: { path }, body: { name: d, received_on: new Date().toISOString().slice(0, 10) } })), "Livrable enregistré.")}>
                Marquer reçu<span className="visually-hidden"> : {d} de {name}</span></button>)}</li>))}
          </ul>
          <p>Soutenance : {def ? `${def.date ? formatDate(def.date) : ""} — ${def.outcome === "passed" ? "validée" : def.outcome === "failed" ? "non validée" : "à venir"}` : "non enregistrée"}</p>
          <form className="toolbar" aria-label={`Soutenance de ${name}`} onSubmit={(e) => { e.preventDefault();
            act(() => data(training.PUT("/training/v1/learners/{learner_id}/defence", { params: { path }, body: { date: defence.date, outcome: defence.outcome as never } })), "Soutenance enregistrée."); }}>
            <TextField label="Date de soutenance" type="date" value={defence.date} onChange={(e) => setDefence({ ...defence, date: e.target.value })} />
            <SelectField label="Résultat" options={[["passed", "Validée"], ["failed", "Non validée"], ["pending", "À venir"]]} value={defence.outcome}
              onChange={(e) => setDefence({ ...defence, outcome: e.target.value })} />
            <button type="submit">Enregistrer la soutenance</button>
          </form>
          {cohort.status === "in_progress" && (
            <button type="button" onClick={() => act(() => data(training.POST("/training/v1/learners/{learner_id}/certificate", { params: { path } })), "Certificat délivré.")}>
              Délivrer le certificat<span className="visually-hidden"> à {name}</span></button>
          )}
        </>
      )}
      {learner.certificate_code && (
        <p>Certificat <code>{learner.certificate_code}</code> :{" "}
          <Download path={`/training/v1/certificates/${encodeURIComponent(learner.certificate_code)}/document.pdf`} fallback={`certificat-${learner.certificate_code}.pdf`}>
            Télécharger le certificat (PDF)</Download>{" "}
          <Link to={`/certificats/${encodeURIComponent(learner.certificate_code)}`}>page de vérification</Link></p>
      )}
    </article>
  );
}

