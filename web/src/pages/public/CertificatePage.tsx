// Certificate verification by code (the certificate's QR code opens /certificats/<code>).
import { useState, type FormEvent } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { data, training } from "../../api/client";
import { TextField } from "../../components/Field";
import { Page } from "../../components/Layout";
import { ErrorNotice, isNotFound, Loading, Notice } from "../../components/status";
import { useLoad } from "../../components/useLoad";
import { formatDate } from "../../lib/dates";

export function CertificatePage() {
  const { code } = useParams();
  const navigate = useNavigate();
  const [typed, setTyped] = useState(code ?? "");
  const [fieldError, setFieldError] = useState<string>();
  const result = useLoad(async () => (code
    ? data(training.GET("/training/v1/certificates/{code}", { params: { path: { code } } })) : null), [code]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const clean = typed.trim();
    if (!clean) { setFieldError("Saisissez le code inscrit sur le certificat."); return; }
    setFieldError(undefined);
    navigate(`/certificats/${encodeURIComponent(clean)}`);
  };

  return (
    <Page title="Vérifier un certificat" lead="Le code figure sur le certificat, sous le QR code.">
      <form onSubmit={submit} className="inline-form" noValidate>
        <TextField label="Code du certificat" value={typed} onChange={(e) => setTyped(e.target.value)}
          error={fieldError} autoComplete="off" spellCheck={false} />
        <button type="submit">Vérifier</button>
      </form>
      {code && result.state === "loading" && <Loading what="Vérification…" />}
      {code && result.state === "error" && (isNotFound(result.error)
        ? <Notice tone="warning">Aucun certificat ne porte le code « {code} ».</Notice>
        : <ErrorNotice error={result.error} onRetry={result.reload} />)}
      {result.state === "ok" && result.data && (
        result.data.valid ? (
          <section className="certificate" aria-labelledby="certificate-title">
            <h2 id="certificate-title">Certificat valide</h2>
            <dl className="facts">
              <dt>Titulaire</dt><dd>{result.data.holder_name}</dd>
              <dt>Programme</dt><dd>{result.data.programme}</dd>
              {result.data.certification && <><dt>Certification</dt><dd>{result.data.certification}</dd></>}
              {result.data.cohort && <><dt>Promotion</dt><dd>{result.data.cohort}</dd></>}
              {result.data.issued_on && <><dt>Délivré le</dt><dd>{formatDate(result.data.issued_on)}</dd></>}
            </dl>
          </section>
        ) : <Notice tone="warning">Ce certificat n’est plus valide.</Notice>
      )}
    </Page>
  );
}
