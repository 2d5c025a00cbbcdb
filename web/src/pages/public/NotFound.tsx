import { Link } from "react-router-dom";
import { Page } from "../../components/Layout";

export function NotFound() {
  return <Page title="Page introuvable"><p>Cette page n’existe pas. <Link to="/agenda">Voir l’agenda</Link></p></Page>;
}
