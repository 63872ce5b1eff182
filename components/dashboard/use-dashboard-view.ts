"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { parseView, viewToSearch, type DashboardView } from "@/lib/views/dashboard-view";

/** The dashboard view lives in the URL: reading it, and changing it with a history entry. */
export function useDashboardView(): [DashboardView, (change: Partial<DashboardView>) => void] {
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const view = useMemo(() => parseView(new URLSearchParams(searchParams.toString())), [searchParams]);
  const setView = useCallback(
    (change: Partial<DashboardView>) => {
      const next = { ...view, ...change };
      router.push(`${pathname}${viewToSearch(next)}`, { scroll: false });
    },
    [view, router, pathname],
  );
  return [view, setView];
}
