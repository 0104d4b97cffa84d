/** Commands that only take `<store>:<key>` (cat, ls, stat, rm, presign, uploads). */
import type { CommandContext } from "./command-context.js";
import { UsageError } from "./exit-codes.js";
import type { StoreRef } from "./storage-session.js";

/**
 * Parses an argument that must name a store. A bare store name (`files`) is accepted as
 * `files:`, since these commands never take local paths.
 */
export async function storeAddress(ctx: CommandContext, text: string): Promise<{ ref: StoreRef; key: string }> {
  const address = await ctx.address(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(text) ? `${text}:` : text);
  if (address.type !== "store") throw new UsageError(`${text}: expected <store>:<key>; configured stores: ${(await ctx.session()).names.join(", ")}`);
  return address;
}
