import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev` proxies the API paths to a running `make dev` (VITE_API_TARGET, default :8000),
// so the console is developed against the same gateway paths it is served behind.
const target = process.env.VITE_API_TARGET || "http://127.0.0.1:8000";
const apiPaths = ["/registry", "/events", "/training", "/notifications", "/console-config.json", "/api"];

export default defineConfig({
  plugins: [react()],
  server: { proxy: Object.fromEntries(apiPaths.map((path) => [path, { target, changeOrigin: false }])) },
  build: { outDir: "dist", sourcemap: true, chunkSizeWarningLimit: 800 },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
