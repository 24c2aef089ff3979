// The people of the demo world: Latin American names, the ID document of their country and the accounts
// they pay from and into. Synthetic: names are combined at random and faces are drawn, never real.
import type { KycStatus } from '../../shared/domain/dispute';
import type { SyntheticPersonSpec } from './images';
import { Prng } from './prng';
import type { Country, Market } from './world';

export type DocumentType = 'national-id' | 'passport';

export interface Person {
  /** As on the ID document: given names and both surnames. */
  fullName: string;
  /** As the platform shows it: first given name and first surname. */
  displayName: string;
  firstName: string;
  country: Country;
  birthDate: string;
  documentType: DocumentType;
  /** The number of the document used for KYC (the national ID or a passport). */
  documentNumber: string;
  /** Everyone has one; banks ask for it (Pago Móvil's cédula, PIX's CPF) whatever the KYC document was. */
  nationalId: string;
  /** Palette indices for the synthetic face. */
  skinTone: number;
  hairColor: number;
}

const SPANISH_GIVEN = {
  female: ['María Fernanda', 'Ana Lucía', 'Valentina', 'Daniela', 'Gabriela', 'Carolina', 'Andrea', 'Paola', 'Camila', 'Luisa', 'Mariana', 'Natalia', 'Karina', 'Rosa', 'Lorena', 'Patricia', 'Sofía', 'Alejandra', 'Verónica', 'Adriana'],
  male: ['José Luis', 'Carlos', 'Luis Fernando', 'Andrés', 'Jorge', 'Miguel Ángel', 'Juan Pablo', 'Alejandro', 'Ricardo', 'Javier', 'Rafael', 'Eduardo', 'Óscar', 'Héctor', 'Gustavo', 'Jesús', 'Santiago', 'Mateo', 'Nicolás', 'Manuel'],
};
const SPANISH_SURNAMES = ['Rodríguez', 'González', 'Pérez', 'Hernández', 'García', 'Martínez', 'López', 'Ramírez', 'Torres', 'Díaz', 'Morales', 'Castillo', 'Rojas', 'Vargas', 'Gómez', 'Sánchez', 'Romero', 'Herrera', 'Medina', 'Aguilar', 'Flores', 'Chávez', 'Gutiérrez', 'Salazar', 'Fernández', 'Acosta', 'Cruz', 'Ortiz', 'Mendoza', 'Reyes', 'Vásquez', 'Suárez'];

// A few names that are typical of one country, so that each market reads like itself.
const LOCAL_GIVEN: Partial<Record<Country, { female: string[]; male: string[] }>> = {
  VE: { female: ['Yuliana', 'Yesenia', 'Marbelys', 'Oriana'], male: ['Yorman', 'Wilmer', 'Franklin', 'Freddy'] },
  CO: { female: ['Leidy Johana', 'Yurany', 'Marcela'], male: ['Jhon Jairo', 'Duván', 'Hernán Darío'] },
  AR: { female: ['Florencia', 'Agustina', 'Micaela'], male: ['Facundo', 'Gonzalo', 'Matías', 'Lautaro'] },
  MX: { female: ['Guadalupe', 'Ximena', 'Itzel'], male: ['Luis Fernando', 'Emiliano', 'Jesús Alberto'] },
  PE: { female: ['Milagros', 'Rocío', 'Yessica'], male: ['Renzo', 'Jhonatan', 'Percy'] },
};
const LOCAL_SURNAMES: Partial<Record<Country, string[]>> = {
  VE: ['Marcano', 'Briceño', 'Colmenares', 'Rivas', 'Guevara', 'Zambrano'],
  CO: ['Ospina', 'Restrepo', 'Giraldo', 'Cárdenas', 'Castaño'],
  AR: ['Sosa', 'Benítez', 'Ledesma', 'Giménez', 'Ferreyra'],
  MX: ['Villalobos', 'Hernández', 'Juárez', 'Zúñiga', 'Ortega'],
  PE: ['Quispe', 'Mamani', 'Huamán', 'Condori', 'Paredes'],
};
const BRAZILIAN_GIVEN = {
  female: ['Ana Clara', 'Beatriz', 'Juliana', 'Larissa', 'Camila', 'Fernanda', 'Mariana', 'Letícia', 'Aline', 'Patrícia', 'Gabriela', 'Bruna'],
  male: ['Lucas', 'Gabriel', 'Rafael', 'Mateus', 'Thiago', 'Felipe', 'Gustavo', 'João Pedro', 'Leonardo', 'Vinícius', 'Rodrigo', 'André'],
};
const BRAZILIAN_SURNAMES = ['Silva', 'Santos', 'Oliveira', 'Souza', 'Lima', 'Pereira', 'Costa', 'Ferreira', 'Almeida', 'Carvalho', 'Ribeiro', 'Gomes', 'Martins', 'Araújo', 'Barbosa', 'Rocha', 'Nascimento', 'Moreira'];

function namePools(country: Country, female: boolean): { given: string[]; surnames: string[] } {
  if (country === 'BR') return { given: BRAZILIAN_GIVEN[female ? 'female' : 'male'], surnames: BRAZILIAN_SURNAMES };
  const local = LOCAL_GIVEN[country];
  return {
    given: [...SPANISH_GIVEN[female ? 'female' : 'male'], ...(local ? local[female ? 'female' : 'male'] : [])],
    surnames: [...SPANISH_SURNAMES, ...(LOCAL_SURNAMES[country] ?? [])],
  };
}

const groupThousands = (digits: string, separator: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);

/** CPF check digits (mod 11), so a Brazilian document number is well formed. */
function cpf(prng: Prng): string {
  const base = Array.from({ length: 9 }, () => prng.int(0, 9));
  const check = (digits: number[]) => {
    const sum = digits.reduce((acc, digit, index) => acc + digit * (digits.length + 1 - index), 0);
    const rest = (sum * 10) % 11;
    return rest === 10 ? 0 : rest;
  };
  const first = check(base);
  const second = check([...base, first]);
  const all = [...base, first, second].join('');
  return `${all.slice(0, 3)}.${all.slice(3, 6)}.${all.slice(6, 9)}-${all.slice(9)}`;
}

const stripAccents = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/** A CURP-like key: surname and name letters, birth date, sex, state and a check pair. */
function curp(prng: Prng, given: string, surname1: string, surname2: string, birthDate: string, female: boolean): string {
  const plain = (text: string) => stripAccents(text).toUpperCase();
  const s1 = plain(surname1);
  const vowel = s1.slice(1).match(/[AEIOU]/)?.[0] ?? 'X';
  const date = birthDate.slice(2).replaceAll('-', '');
  const state = prng.pick(['DF', 'JC', 'NL', 'MC', 'PL', 'GT']);
  const consonant = (text: string) => plain(text).slice(1).match(/[^AEIOU ]/)?.[0] ?? 'X';
  return `${s1[0]}${vowel}${plain(surname2)[0]}${plain(given)[0]}${date}${female ? 'M' : 'H'}${state}${consonant(surname1)}${consonant(surname2)}${consonant(given)}${prng.int(0, 9)}${prng.int(0, 9)}`;
}

function nationalId(prng: Prng, country: Country, person: { given: string; surname1: string; surname2: string; birthDate: string; female: boolean }): string {
  switch (country) {
    case 'VE':
      return `V-${groupThousands(String(prng.int(9_000_000, 31_999_999)), '.')}`;
    case 'CO':
      return groupThousands(`10${prng.digits(8)}`, '.');
    case 'AR':
      return groupThousands(String(prng.int(20_000_000, 45_999_999)), '.');
    case 'MX':
      return curp(prng, person.given, person.surname1, person.surname2, person.birthDate, person.female);
    case 'BR':
      return cpf(prng);
    case 'PE':
      return prng.digits(8, true);
  }
}

const PASSPORT_PREFIX: Record<Country, string> = { VE: '', CO: 'AV', AR: 'AAF', MX: 'G', BR: 'FZ', PE: '' };

/** A person of `country`, drawn from `seed` alone: the same seed always gives the same person. */
export function personFor(seed: string, country: Country): Person {
  const prng = new Prng(`person:${seed}`);
  const female = prng.chance(0.5);
  const pools = namePools(country, female);
  const given = prng.pick(pools.given);
  const surname1 = prng.pick(pools.surnames);
  let surname2 = prng.pick(pools.surnames);
  if (surname2 === surname1) surname2 = pools.surnames[(pools.surnames.indexOf(surname1) + 1) % pools.surnames.length]!;
  const year = prng.int(1964, 2004);
  const birthDate = `${year}-${String(prng.int(1, 12)).padStart(2, '0')}-${String(prng.int(1, 28)).padStart(2, '0')}`;
  const firstName = given.split(' ')[0]!;
  const passport = prng.chance(0.12);
  const nationalIdNumber = nationalId(prng, country, { given, surname1, surname2, birthDate, female });
  return {
    fullName: `${given} ${surname1} ${surname2}`,
    displayName: `${firstName} ${surname1}`,
    firstName,
    country,
    birthDate,
    documentType: passport ? 'passport' : 'national-id',
    documentNumber: passport ? `${PASSPORT_PREFIX[country]}${prng.digits(PASSPORT_PREFIX[country] === '' ? 9 : 7, true)}` : nationalIdNumber,
    nationalId: nationalIdNumber,
    skinTone: prng.int(0, 5),
    hairColor: prng.weighted([
      [0, 40],
      [1, 30],
      [2, 15],
      [3, 5],
      [4, 5],
      [5, 5],
    ]),
  };
}

export function syntheticPersonSpec(person: Person, seed: string): SyntheticPersonSpec {
  return {
    fullName: person.fullName,
    documentNumber: person.documentNumber,
    birthDate: person.birthDate,
    country: person.country,
    skinTone: person.skinTone,
    hairColor: person.hairColor,
    seed,
  };
}

export interface PaymentAccount {
  bank: string;
  /** As the party would type it into the chat, e.g. "0414-5551234 / V-18.456.231". */
  account: string;
}

const VE_BANK_CODES: Record<string, string> = {
  Banesco: '0134',
  'Banco de Venezuela': '0102',
  Mercantil: '0105',
  'BBVA Provincial': '0108',
  BNC: '0191',
};
const MX_BANK_CODES: Record<string, string> = { 'BBVA México': '012', Banorte: '072', Santander: '014' };
const AR_BANK_CODES: Record<string, string> = { 'Banco Galicia': '007', 'Banco Nación': '011', Brubank: '143' };

function email(prng: Prng, person: Person): string {
  const [given = 'user'] = person.fullName.toLowerCase().split(' ');
  const surname = person.displayName.toLowerCase().split(' ').at(-1) ?? 'p2p';
  const local = stripAccents(`${given}.${surname}${prng.int(1, 99)}`).replace(/[^a-z0-9.]/g, '');
  return `${local}@${prng.pick(['gmail.com', 'gmail.com', 'hotmail.com', 'outlook.com', 'yahoo.com'])}`;
}

/** The account `person` uses in `market`; `variant` gives the same person a second, different account. */
export function paymentAccount(person: Person, personSeed: string, market: Market, variant = 0): PaymentAccount {
  const prng = new Prng(`account:${personSeed}:${market.key}:${variant}`);
  const bank = prng.pick(market.banks);
  switch (market.method) {
    case 'Pago Móvil':
      return { bank, account: `${prng.pick(['0412', '0414', '0424', '0416', '0426'])}-${prng.digits(7, true)} / ${person.nationalId}` };
    case 'Zelle':
      return { bank, account: email(prng, person) };
    case 'Nequi':
      return { bank, account: `3${prng.int(0, 2)}${prng.int(0, 9)} ${prng.digits(3)} ${prng.digits(4)}` };
    case 'PIX':
      return {
        bank,
        account: prng.weighted<string>([
          [`CPF ${person.nationalId}`, 3],
          [email(prng, person), 3],
          [`+55 11 9${prng.digits(4)}-${prng.digits(4)}`, 2],
          [`${prng.hex(8)}-${prng.hex(4)}-4${prng.hex(3)}-a${prng.hex(3)}-${prng.hex(12)}`, 2],
        ]),
      };
    case 'Mercado Pago':
      return market.country === 'AR'
        ? { bank, account: `CVU 0000003100${prng.digits(12)}` }
        : { bank, account: `CLABE 722969${prng.digits(12)}` };
    case 'Bank transfer':
      return { bank, account: bankTransferAccount(prng, market.country, bank) };
  }
}

/** How a party writes their receiving details into the chat. */
export function receivingDetails(market: Market, account: PaymentAccount, holder: Person): string {
  switch (market.method) {
    case 'Zelle':
      return `Zelle ${account.account} (${holder.fullName})`;
    case 'PIX':
      return `${account.account} (${account.bank}, ${holder.fullName})`;
    case 'Nequi':
    case 'Mercado Pago':
      return `${market.method} ${account.account} a nombre de ${holder.fullName}`;
    default:
      return `${account.bank} ${account.account}, ${holder.fullName}`;
  }
}

function bankTransferAccount(prng: Prng, country: Country, bank: string): string {
  switch (country) {
    case 'VE':
      return `${VE_BANK_CODES[bank] ?? '0134'}-${prng.digits(4)}-${prng.digits(2)}-${prng.digits(10)}`;
    case 'CO':
      return `Ahorros ${prng.digits(3, true)}-${prng.digits(6)}-${prng.digits(2)}`;
    case 'AR':
      return `CBU ${AR_BANK_CODES[bank] ?? '007'}${prng.digits(19)}`;
    case 'MX':
      return `CLABE ${MX_BANK_CODES[bank] ?? '012'}${prng.digits(15)}`;
    case 'PE':
      return `${prng.pick(['191', '193', '194'])}-${prng.digits(8)}-${prng.int(0, 1)}-${prng.digits(2)}`;
    case 'BR':
      return `Ag. ${prng.digits(4)} C/C ${prng.digits(6)}-${prng.int(0, 9)}`;
  }
}

/**
 * The platform's record of a seeded party: the person's public name and country with their standing and
 * trading history. The demo seed passes Dates (createParty), the load seed ISO strings (insertParty).
 */
export function partyRecord<Time>(party: {
  id: string;
  person: Pick<Person, 'displayName' | 'country'>;
  kycStatus: KycStatus;
  accountCreatedAt: Time;
  tradeCount: number;
  disputeCount: number;
}) {
  return {
    id: party.id,
    displayName: party.person.displayName,
    kycStatus: party.kycStatus,
    country: party.person.country,
    accountCreatedAt: party.accountCreatedAt,
    tradeCount: party.tradeCount,
    disputeCount: party.disputeCount,
  };
}
