import { createContext, useContext } from "react";
import { FALLBACK_CONFIG, type ConsoleConfig } from "./config";

export const ConfigContext = createContext<ConsoleConfig>(FALLBACK_CONFIG);
export const useConfig = () => useContext(ConfigContext);
