import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, RouterProvider } from "react-router-dom";
import { SessionProvider } from "./auth/session";
import { ConfigContext } from "./configContext";
import { loadConfig } from "./config";
import { routes } from "./routes";
import "./styles.css";

const config = await loadConfig();
const router = createBrowserRouter(routes);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ConfigContext.Provider value={config}>
      <SessionProvider config={config}>
        <RouterProvider router={router} />
      </SessionProvider>
    </ConfigContext.Provider>
  </StrictMode>,
);
