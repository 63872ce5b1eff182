export interface ShareLinkRowView {
  id: number;
  what: string;
  window: string;
  creator: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  views: number;
  lastViewedAt: Date | null;
  state: "live" | "expired" | "revoked";
}

const when = (d: Date | null) => (d ? d.toISOString().replace(/:\d{2}\.\d{3}Z$/, "Z").replace("T", " ") : "–");

/** Share links with who made them, when, until when, and how often they were opened. */
export function ShareLinkList({ links, revoke }: { links: readonly ShareLinkRowView[]; revoke: (form: FormData) => Promise<void> }) {
  if (links.length === 0) return <p className="muted">No share links yet: use “Share” on a chart, a dashboard or outcomes.</p>;
  return (
    <div className="table-wrap">
      <table data-testid="share-links">
        <thead>
          <tr>
            <th scope="col">View</th>
            <th scope="col">Window</th>
            <th scope="col">Made by</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Views</th>
            <th scope="col">Last viewed</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {links.map((l) => (
            <tr key={l.id} data-state={l.state} data-link={l.id}>
              <th scope="row">{l.what}</th>
              <td>{l.window}</td>
              <td>{l.creator ?? "–"}</td>
              <td>{when(l.createdAt)}</td>
              <td>{l.state === "revoked" ? "revoked" : l.expiresAt ? when(l.expiresAt) : "never"}</td>
              <td data-testid="share-views">{l.views}</td>
              <td>{when(l.lastViewedAt)}</td>
              <td>
                {l.state === "live" ? (
                  <form action={revoke}>
                    <input type="hidden" name="id" value={l.id} />
                    <button type="submit">Revoke</button>
                  </form>
                ) : (
                  <span className="muted">{l.state}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
