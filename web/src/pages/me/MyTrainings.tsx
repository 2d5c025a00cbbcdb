// My PACTE applications (GET /training/v1/applications: a coordinator gets their own) and the trainings I
// follow (GET /training/v1/me/trainings): cohort, seminars with my attendance per half-day, certificate.
import { Link } from "react-router-dom";
import { data, training } from "../../api/client";
import { Page } from "../../components/Layout";
import { SpaceNav } from "../../components/SpaceNav";
import { Empty, ErrorNotice, Loading } from "../../components/status";
import { useLoad } from "../../components/useLoad";
import { attendanceSummary, halfDayText } from "../../lib/attendance";
import { formatDate } from "../../lib/dates";
import { APPLICATION_STATUSES, label } from "../../lib/labels";

export function MyTrainings() {
  const applications = useLoad(() => data(training.GET("/training/v1/applications", { params: { query: { per_page: 100 } } })), []);
  const trainings = useLoad(() => data(training.GET("/training/v1/me/trainings")), []);
  return (
    <Page title="Mes formations">
      <SpaceNav />
      <section aria-labelledby="trainings-title">
        <h2 id="trainings-title">Mes formations en cours et passées</h2>
        {trainings.state === "loading" && <Loading what="Chargement de vos formations…" />}
        {trainings.state === "error" && <ErrorNotice error={trainings.error} onRetry={trainings.reload} />}
        {trainings.state === "ok" && (trainings.data.items.length === 0 ? <Empty>Vous ne suivez aucune formation.</Empty> : (
          <ul className="cards single">{trainings.data.items.map((t) => {
            const programme = t.cohort.programme as { name?: string } | null | undefined;
            const certificate = t.certificate as { code?: string } | null | undefined;
            return (
              <li key={t.learner.id} className="card">
                <h3>{programme?.name ?? "Formation"} — {t.cohort.name ?? t.cohort.id}</h3>
                {certificate?.code && <p>Certificat : <Link to={`/certificats/${encodeURIComponent(certificate.code)}`}>{certificate.code}</Link></p>}
                {t.seminars.length === 0 ? <Empty>Aucun séminaire programmé.</Empty> : (
                  <div className="table-wrap">
                    <table>
                      <caption>Séminaires et présence</caption>
                      <thead><tr><th scope="col">Thème</th><th scope="col">Dates</th><th scope="col">Ma présence</th></tr></thead>
                      <tbody>{t.seminars.map((s) => (
                        <tr key={s.id}>
                          <td>{s.theme}{s.status === "cancelled" ? " (annulé)" : ""}</td>
                          <td>{formatDate(s.starts_on)}{s.ends_on !== s.starts_on ? ` – ${formatDate(s.ends_on)}` : ""}</td>
                          <td>{attendanceSummary(s.my_attendance)}
                            {s.my_attendance.absent.length > 0 && <> (absent·e : {s.my_attendance.absent.map(halfDayText).join(", ")})</>}</td>
                        </tr>
                      ))}</tbody>
                    </table>
                  </div>
                )}
              </li>
            );
          })}</ul>
        ))}
      </section>
      <section aria-labelledby="applications-title">
        <h2 id="applications-title">Mes candidatures PACTE</h2>
        {applications.state === "loading" && <Loading what="Chargement de vos candidatures…" />}
        {applications.state === "error" && <ErrorNotice error={applications.error} onRetry={applications.reload} />}
        {applications.state === "ok" && (applications.data.items.length === 0
          ? <Empty>Vous n’avez pas encore candidaté à une formation PACTE.</Empty>
          : <ul className="cards">{applications.data.items.map((a) => (
            <li key={a.id} className="card">
              <h3>Promotion {a.cohort_id}</h3>
              <p className="status"><strong>{label(APPLICATION_STATUSES, a.status)}</strong>
                {a.submitted_at && <> — déposée le {formatDate(a.submitted_at)}</>}</p>
              {a.placement === "reserve" && a.reserve_rank ? <p>Liste complémentaire, rang {a.reserve_rank}</p> : null}
            </li>
          ))}</ul>)}
      </section>
    </Page>
  );
}
