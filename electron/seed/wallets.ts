// Crypto addresses in the format of each asset's usual network (USDT on TRON, the rest on their own): the
// wallets parties fund escrows from and withdraw to, and the listed addresses of the KYT risk list.
import type { Asset } from '../../shared/domain/money';
import { Prng } from './prng';

const BASE32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function fromAlphabet(prng: Prng, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[prng.int(0, alphabet.length - 1)];
  return out;
}

export function address(prng: Prng, asset: Asset): string {
  if (asset === 'BTC') return `bc1q${fromAlphabet(prng, BASE32, 38)}`;
  if (asset === 'USDT') return `T${fromAlphabet(prng, BASE58, 33)}`;
  return `0x${prng.hex(40)}`;
}

/** The party's own wallet for the asset: the same address every time they trade it. */
export const walletAddress = (partyId: string, asset: Asset) => address(new Prng(`wallet:${partyId}:${asset}`), asset);
