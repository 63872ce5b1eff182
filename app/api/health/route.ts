// GET /api/health – the load balancer's check: 200 while this instance reaches its database
import { getHealth } from "@/lib/services/health";
import { withRoute } from "@/lib/services/entries";

export const GET = withRoute(async (ctx) => getHealth(ctx));
