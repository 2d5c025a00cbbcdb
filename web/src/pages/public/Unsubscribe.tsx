// The e-mails' unsubscribe link (/desinscription?token=…): says what it switches off
// (GET /notifications/v1/unsubscribe/link), applies it on confirmation only (a mail scanner that opens
// the link changes nothing).
import { useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { data, notifications } from "../../api/client";
import { Page } from "../../components/Layout";
import { ErrorNotice, Loading, Notice } from "../../components/status";
import { useLoad } from "../../components/useLoad";

export function Unsubscribe() {
  const [search] = useSearchParams();
  const token = search.get("token") ?? "";
  const link = useLoad(async () => (token
    ? data(notifications.GET("/notifications/v1/unsubscribe/link", { params: { query: { token } } })) : null), [token]);
  const [state, setState] = useState<{ done?: string; error?: unknown; busy?: boolean }>({});
  const apply = async () => {
    setState({ busy: true });
    try {
      const result = await data(notifications.POST("/notifications/v1/unsubscribe", { params: { query: { token } } }));
      setState({ done: result.label ? `Vous ne recevrez plus ${result.label}.` : "Vous ne recevrez plus ces e-mails." });
    } catch (error) {
      setState({ error });
    }
  };
  return (
    <Page title="Se désinscrire">
      {!token && <Notice tone="warning">Ce lien de désinscription est incomplet : utilisez celui de l’e-mail reçu.</Notice>}
      {token && link.state === "loading" && <Loading />}
      {token && link.state === "error" && <ErrorNotice error={link.error} />}
      {link.state === "ok" && link.data && (state.done
        ? <Notice tone="success">{state.done} <Link to="/preferences">Gérer toutes mes préférences</Link></Notice>
        : (
          <>
            <p>Confirmez-vous ne plus recevoir {link.data.label} ? Les e-mails indispensables (annulations,
              changements de date ou de lieu) continueront d’arriver.</p>
            {state.error != null && <ErrorNotice error={state.error} />}
            <button type="button" disabled={state.busy} onClick={apply}>Confirmer la désinscription</button>
          </>
        ))}
    </Page>
  );
}
