"use client";

// How the dashboard's cards behave where they are: in the app, each may be shared (when the reader
// may share); in a shared view, they are read-only — no links into the app, no calls to its API.
import { createContext, useContext } from "react";
import type { FormAction } from "../forms/form-parts";
import type { ShareTarget } from "./share-button";

export interface ShareMode {
  /** Rendering a share link: item keys are text, and nothing asks the API for more. */
  shared: boolean;
  /** In the app, for a reader who may share: what a card's Share button shares, and how. */
  share?: { create: FormAction; target: Omit<ShareTarget, "kind" | "chart"> };
}

export const ShareModeContext = createContext<ShareMode>({ shared: false });

export function useShareMode(): ShareMode {
  return useContext(ShareModeContext);
}
