// The e-mails' unsubscribe link (/desinscription?token=…): confirm, then apply (a mail scanner that opens
// the link changes nothing).
import { useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { data, notifications } from "../../api/client";
import { Page } from "../../components/Layout";
import { ErrorNotice, Notice } from "../../components/status";

export function Unsubscribe() {
  const [search] = useSearchParams();
  const token = search.get("token") ?? "";
  const [state, setState] = useState<{ done?: string; error?: unknown; busy?: boolean }>({});
  const apply = async () => {
    setState({ busy: true });
    try {
      const result = await data(notifications.POST("/notifications/v1/unsubscribe", { params: { query: { token } } }));
      setState({ done: result.label ? `Vous ne recevrez plus les e-mails « ${result.label} ».`
        : "Vous ne recevrez plus ces e-mails." });
    } catch (error) {
      setState({ error });
    }
  };
  return (
    <Page title="Se désinscrire">
      {!token ? <Notice tone="warning">Ce lien de désinscription est incomplet : utilisez celui de l’e-mail reçu.</Notice>
        : state.done ? <Notice tone="success">{state.done} <Link to="/preferences">Gérer toutes mes préférences</Link></Notice>
          : (
            <>
              <p>Confirmez-vous ne plus recevoir cette catégorie d’e-mails ? Les e-mails indispensables
                (confirmations, annulations) continueront d’arriver.</p>
              {state.error != null && <ErrorNotice error={state.error} />}
              <button type="button" disabled={state.busy} onClick={apply}>Confirmer la désinscription</button>
            </>
          )}
    </Page>
  );
}
