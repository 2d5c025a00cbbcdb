// My PACTE applications and, once a learner, the cohort's seminars and my attendance.
import { data, training } from "../../api/client";
import { ApiError } from "../../api/problem";
import type { components } from "../../api/schema/training";
import { Page } from "../../components/Layout";
import { SpaceNav } from "../../components/SpaceNav";
import { Empty, ErrorNotice, Loading } from "../../components/status";
import { useLoad } from "../../components/useLoad";
import { formatDate } from "../../lib/dates";
import { APPLICATION_STATUSES, label } from "../../lib/labels";

type Application = components["schemas"]["Application"];
type Seminar = components["schemas"]["Seminar"];
type Learner = components["schemas"]["Learner"];

interface Training { application: Application; learner: Learner | null; seminars: Seminar[] | null; seminarsNote?: string }

async function loadTrainings(): Promise<Training[]> {
  const page = await data(training.GET("/training/v1/applications", { params: { query: { per_page: 100 } } }));
  return Promise.all(page.items.map(async (application): Promise<Training> => {
    if (!application.learner_id) return { application, learner: null, seminars: null };
    const learner = await data(training.GET("/training/v1/learners/{learner_id}",
      { params: { path: { learner_id: application.learner_id } } })).catch(() => null);
    try {
      const seminars = await data(training.GET("/training/v1/cohorts/{cohort_id}/seminars",
        { params: { path: { cohort_id: application.cohort_id }, query: { per_page: 100 } } }));
      return { application, learner, seminars: seminars.items };
    } catch (error) {
      // A learner may not list the cohort's seminars yet (web/API_NEEDS.md #9).
      const note = error instanceof ApiError && (error.status === 403 || error.status === 404)
        ? "Le calendrier des séminaires sera bientôt visible ici." : (error as Error).message;
      return { application, learner, seminars: null, seminarsNote: note };
    }
  }));
}

export function MyTrainings() {
  const trainings = useLoad(loadTrainings, []);
  return (
    <Page title="Mes formations">
      <SpaceNav />
      {trainings.state === "loading" && <Loading what="Chargement de vos formations…" />}
      {trainings.state === "error" && <ErrorNotice error={trainings.error} onRetry={trainings.reload} />}
      {trainings.state === "ok" && (trainings.data.length === 0
        ? <Empty>Vous n’avez pas encore candidaté à une formation PACTE.</Empty>
        : <ul className="cards">{trainings.data.map(({ application, learner, seminars, seminarsNote }) => (
          <li key={application.id} className="card">
            <h2>Candidature {application.cohort_id}</h2>
            <p className="status"><strong>{label(APPLICATION_STATUSES, application.status)}</strong>
              {application.submitted_at && <> — déposée le {formatDate(application.submitted_at)}</>}
              {application.placement === "reserve" && application.reserve_rank
                ? <> — liste complémentaire, rang {application.reserve_rank}</> : null}</p>
            {learner && (
              <p>Apprenant·e : {learner.status}{typeof learner.absences === "number"
                ? ` · ${learner.absences} demi-journée${learner.absences > 1 ? "s" : ""} d’absence` : ""}
                {learner.certificate_code && <> · certificat <a href={`/certificats/${learner.certificate_code}`}>{learner.certificate_code}</a></>}</p>
            )}
            {seminars && (seminars.length === 0 ? <Empty>Aucun séminaire programmé.</Empty> : (
              <table>
                <caption>Séminaires</caption>
                <thead><tr><th scope="col">Thème</th><th scope="col">Dates</th><th scope="col">Lieu</th></tr></thead>
                <tbody>{seminars.map((s) => (
                  <tr key={s.id}><td>{s.theme}</td><td>{formatDate(s.starts_on)}{s.ends_on !== s.starts_on ? ` – ${formatDate(s.ends_on)}` : ""}</td>
                    <td>{(s.place as { city?: string } | undefined)?.city ?? ""}</td></tr>
                ))}</tbody>
              </table>
            ))}
            {seminarsNote && <p className="hint">{seminarsNote}</p>}
          </li>
        ))}</ul>)}
    </Page>
  );
}
