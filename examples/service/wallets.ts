import { eq, sql } from 'drizzle-orm';
import { db } from './db';
import { wallets } from './schema';

export class InsufficientFunds extends Error {
  constructor(readonly walletId: number) {
    super(`wallet ${walletId} has insufficient funds`);
  }
}

// Card spend from the POS integration.
export async function debitWallet(walletId: number, amountMinor: bigint): Promise<bigint> {
  return db.transaction(async (tx) => {
    const [wallet] = await tx
      .select({ balance: wallets.balance })
      .from(wallets)
      .where(eq(wallets.id, walletId));
    if (!wallet || wallet.balance < amountMinor) throw new InsufficientFunds(walletId);

    const newBalance = wallet.balance - amountMinor;
    await tx.update(wallets).set({ balance: newBalance }).where(eq(wallets.id, walletId));
    return newBalance;
  });
}

// Top-ups: the database adds to whatever the balance is at commit time.
export async function creditWallet(walletId: number, amountMinor: bigint): Promise<bigint> {
  const [row] = await db
    .update(wallets)
    .set({ balance: sql`${wallets.balance} + ${amountMinor}` })
    .where(eq(wallets.id, walletId))
    .returning({ balance: wallets.balance });
  if (!row) throw new Error(`wallet ${walletId} not found`);
  return row.balance;
}
