// The e-mails sent to me (GET /notifications/v1/me/deliveries): subject, kind, status, dates — no bodies.
import { data, notifications } from "../../api/client";
import { Page } from "../../components/Layout";
import { SpaceNav } from "../../components/SpaceNav";
import { Empty, ErrorNotice, Loading } from "../../components/status";
import { useLoad } from "../../components/useLoad";
import { formatDay, formatTime } from "../../lib/dates";
import { DELIVERY_STATUSES, label } from "../../lib/labels";

export function MyEmails() {
  const mails = useLoad(() => data(notifications.GET("/notifications/v1/me/deliveries",
    { params: { query: { per_page: 50 } } })), []);
  return (
    <Page title="Mes e-mails" lead="Les e-mails que la plateforme vous a envoyés, les plus récents d’abord.">
      <SpaceNav />
      {mails.state === "loading" && <Loading what="Chargement de vos e-mails…" />}
      {mails.state === "error" && <ErrorNotice error={mails.error} onRetry={mails.reload} />}
      {mails.state === "ok" && (mails.data.items.length === 0 ? <Empty>Aucun e-mail ne vous a encore été envoyé.</Empty> : (
        <div className="table-wrap">
          <table className="emails">
            <caption>{mails.data.total} e-mail{mails.data.total > 1 ? "s" : ""}</caption>
            <thead><tr><th scope="col">Objet</th><th scope="col">Date</th><th scope="col">État</th></tr></thead>
            <tbody>{mails.data.items.map((d) => (
              <tr key={d.id}>
                <td>{typeof d.subject === "string" ? d.subject : d.template}</td>
                <td>{d.created_at ? `${formatDay(d.created_at)}, ${formatTime(d.created_at)}` : ""}</td>
                <td>{label(DELIVERY_STATUSES, d.status)}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      ))}
    </Page>
  );
}
