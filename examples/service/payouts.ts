import { eq, inArray } from 'drizzle-orm';
import { db } from './db';
import { payoutItems, payouts } from './schema';

export interface PayoutWithItems {
  id: number;
  amount: number;
  items: { accountId: number; grossAmount: string }[];
}

// Feeds the merchant dashboard's "recent payouts" card.
export async function recentPayouts(merchantId: number): Promise<PayoutWithItems[]> {
  const rows = await db
    .select({ id: payouts.id, amount: payouts.amount })
    .from(payouts)
    .where(eq(payouts.merchantId, merchantId))
    .limit(20);

  const result: PayoutWithItems[] = [];
  for (const p of rows) {
    const items = await db
      .select({ accountId: payoutItems.accountId, grossAmount: payoutItems.grossAmount })
      .from(payoutItems)
      .where(eq(payoutItems.payoutId, p.id));
    result.push({ ...p, items });
  }
  return result;
}

// CSV export: one query for all items, grouped in memory.
export async function payoutItemsByPayout(payoutIds: number[]) {
  if (payoutIds.length === 0) return new Map<number, { accountId: number; grossAmount: string }[]>();
  const items = await db
    .select({ payoutId: payoutItems.payoutId, accountId: payoutItems.accountId, grossAmount: payoutItems.grossAmount })
    .from(payoutItems)
    .where(inArray(payoutItems.payoutId, payoutIds));
  const byPayout = new Map<number, { accountId: number; grossAmount: string }[]>();
  for (const { payoutId, ...item } of items) {
    const list = byPayout.get(payoutId) ?? [];
    list.push(item);
    byPayout.set(payoutId, list);
  }
  return byPayout;
}
