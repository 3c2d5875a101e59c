import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import {
  describeOffer,
  lineItemFor,
  linesMatching,
  lineOptions,
  lineTotalText,
  multiplyDecimal,
  offerOfV1,
  offerOfV3,
  parsePairs,
  parseQuantity,
  pickVariant,
  selectChoices,
  STORES_APP_ID,
} from '../../src/wix/cart.js';

/** The line building and matching of `wixq cart` (src/wix/cart.ts), on products in the SDK's shape. */

const V1_SHIRT = {
  _id: 'p1',
  name: 'Premium Cotton Shirt',
  manageVariants: false,
  productOptions: [
    { optionType: 'drop_down', name: 'Size', choices: [{ value: 'S', description: 'S' }, { value: 'M', description: 'M' }] },
    { optionType: 'color', name: 'Color', choices: [{ value: '#1f2937', description: 'Charcoal' }, { value: '#fbbf24', description: 'Mustard', inStock: false }] },
  ],
  customTextFields: [{ title: 'Engraving', maxLength: 10, mandatory: true }],
};

const V3_SHIRT = {
  _id: 'p3',
  name: 'Premium Cotton Shirt',
  options: [
    { _id: 'o-size', name: 'Size', choicesSettings: { choices: [{ choiceId: 'c-s', key: 's', name: 'S' }, { choiceId: 'c-m', key: 'm', name: 'M' }] } },
  ],
  modifiers: [
    { _id: 'm-wrap', name: 'Gift wrap', key: 'gift-wrap', mandatory: false, modifierRenderType: 'TEXT_CHOICES', choicesSettings: { choices: [{ key: 'yes', name: 'Yes' }, { key: 'no', name: 'No' }] } },
    { _id: 'm-note', name: 'Note', mandatory: true, modifierRenderType: 'FREE_TEXT', freeTextSettings: { key: 'note-key', maxCharCount: 5 } },
  ],
  variantsInfo: {
    variants: [
      { _id: 'v-s', choices: [{ optionChoiceIds: { optionId: 'o-size', choiceId: 'c-s' }, optionChoiceNames: { optionName: 'Size', choiceName: 'S' } }] },
      // No names (the product was read without VARIANT_OPTION_CHOICE_NAMES): the ids name the choice.
      { _id: 'v-m', choices: [{ optionChoiceIds: { optionId: 'o-size', choiceId: 'c-m' } }] },
    ],
  },
};

function refusal(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  return expect.unreachable('should refuse');
}

describe('flags', () => {
  it('NAME=VALUE splits at the first =, keeps the value as given, refuses a pair without a name', () => {
    expect(parsePairs(['Size=M', ' Note = a=b '], '--option')).toEqual([['Size', 'M'], ['Note', ' a=b ']]);
    expect(refusal(() => parsePairs(['Size'], '--option')).message).toBe('--option takes NAME=VALUE, got "Size"');
    expect(refusal(() => parsePairs(['=M'], '--option')).message).toBe('--option takes NAME=VALUE, got "=M"');
  });

  it('--quantity is a whole number from 1 to 100,000', () => {
    expect(parseQuantity(undefined, 1)).toBe(1);
    expect(parseQuantity('100000')).toBe(100_000);
    for (const bad of ['0', '-1', '1.5', '100001', 'two', '', '1e3']) {
      expect(refusal(() => parseQuantity(bad)).message, bad).toMatch(/^--quantity must be a whole number from 1 to 100,000/);
    }
    expect(refusal(() => parseQuantity('0')).hint).toMatch(/wixq cart remove/);
  });
});

describe('Catalog V1', () => {
  const offer = offerOfV1(V1_SHIRT);

  it('reads the options by their choices\u2019 descriptions, and the texts by title', () => {
    expect(offer.options.map((o) => [o.name, o.choices.map((c) => c.name)])).toEqual([['Size', ['S', 'M']], ['Color', ['Charcoal', 'Mustard']]]);
    expect(offer.texts).toEqual([{ name: 'Engraving', key: 'Engraving', mandatory: true, maxLength: 10 }]);
    expect(describeOffer(offer)).toBe('"Premium Cotton Shirt" offers: --option Size=S|M  --option Color=Charcoal|Mustard (out of stock)  --text Engraving=<text> (mandatory, up to 10 characters)');
  });

  it('sends the choices in options.options (variants not managed), names matched ignoring case, a hex value taken for its colour', () => {
    const selection = selectChoices(offer, { options: [['size', 'm'], ['COLOR', '#1f2937']], texts: [['engraving', 'Ada']] });
    expect(lineItemFor(offer, selection, 2)).toEqual({
      catalogReference: { appId: STORES_APP_ID, catalogItemId: 'p1', options: { options: { Size: 'M', Color: 'Charcoal' }, customTextFields: { Engraving: 'Ada' } } },
      quantity: 2,
    });
  });

  it('sends only the variant ID when the product manages variants (never the choices too)', () => {
    const managed = offerOfV1({ ...V1_SHIRT, manageVariants: true, customTextFields: [] });
    const selection = selectChoices(managed, { options: [['Size', 'S'], ['Color', 'Charcoal']], texts: [] });
    const variant = pickVariant(managed, [{ id: 'var-1', choices: { Size: 'S', Color: 'Charcoal' } }, { id: 'var-2', choices: { Size: 'M', Color: 'Charcoal' } }], selection);
    expect(lineItemFor(managed, selection, 1, variant)).toEqual({ catalogReference: { appId: STORES_APP_ID, catalogItemId: 'p1', options: { variantId: 'var-1' } }, quantity: 1 });
  });

  it('a product without options or texts is the product alone', () => {
    const plain = offerOfV1({ _id: 'p2', name: 'Rug', productOptions: [], customTextFields: [] });
    expect(lineItemFor(plain, selectChoices(plain, { options: [], texts: [] }), 1)).toEqual({ catalogReference: { appId: STORES_APP_ID, catalogItemId: 'p2' }, quantity: 1 });
  });

  it('refuses a missing choice, an unknown option or choice, a repeated option, a missing or too long text, each naming what the product offers', () => {
    const offers = describeOffer(offer);
    const cases: Array<[Parameters<typeof selectChoices>[1], string]> = [
      [{ options: [['Size', 'M']], texts: [['Engraving', 'x']] }, '"Premium Cotton Shirt" needs a choice for Color: add --option NAME=VALUE for each (or --variant ID)'],
      [{ options: [['Fit', 'Slim']], texts: [] }, '"Premium Cotton Shirt" has no option named "Fit"'],
      [{ options: [['Size', 'XXL']], texts: [] }, '"Premium Cotton Shirt" has no choice "XXL" for Size (its choices: S, M)'],
      [{ options: [['Size', 'S'], ['size', 'M']], texts: [] }, '--option Size is given twice'],
      [{ options: [['Size', 'S'], ['Color', 'Charcoal']], texts: [] }, '"Premium Cotton Shirt" needs a text for "Engraving": add --text NAME=VALUE'],
      [{ options: [['Size', 'S'], ['Color', 'Charcoal']], texts: [['Engraving', 'far too long']] }, '--text Engraving is 12 characters; "Premium Cotton Shirt" takes up to 10'],
      [{ options: [['Size', 'S'], ['Color', 'Charcoal']], texts: [['Label', 'x']] }, '"Premium Cotton Shirt" has no text field named "Label"'],
      [{ options: [['Size', 'S']], texts: [['Engraving', 'x']], variantId: 'v' }, '--variant names the variant: give it alone, or choose with --option instead'],
    ];
    for (const [request, message] of cases) {
      const error = refusal(() => selectChoices(offer, request));
      expect(error.message).toBe(message);
      expect(error.hint).toBe(offers);
    }
  });
});

describe('Catalog V3', () => {
  const offer = offerOfV3(V3_SHIRT);

  it('finds the variant of the choices (by name, or by the choice IDs when names are not sent)', () => {
    expect(offer.variants).toEqual([{ id: 'v-s', choices: { Size: 'S' } }, { id: 'v-m', choices: { Size: 'M' } }]);
    const selection = selectChoices(offer, { options: [['Size', 'm']], texts: [['Note', 'hi']] });
    expect(lineItemFor(offer, selection, 1, pickVariant(offer, offer.variants!, selection))).toEqual({
      catalogReference: { appId: STORES_APP_ID, catalogItemId: 'p3', options: { variantId: 'v-m', customTextFields: { 'note-key': 'hi' } } },
      quantity: 1,
    });
  });

  it('sends a modifier choice by its keys in options.options, beside the variant', () => {
    const selection = selectChoices(offer, { options: [['Size', 'S'], ['gift wrap', 'yes']], texts: [['Note', 'hi']] });
    expect(lineItemFor(offer, selection, 1, pickVariant(offer, offer.variants!, selection)).catalogReference.options).toEqual({
      variantId: 'v-s',
      options: { 'gift-wrap': 'yes' },
      customTextFields: { 'note-key': 'hi' },
    });
  });

  it('refuses a missing mandatory text, an unknown variant, and a product with options and no choice', () => {
    expect(refusal(() => selectChoices(offer, { options: [['Size', 'S']], texts: [] })).message).toBe('"Premium Cotton Shirt" needs a text for "Note": add --text NAME=VALUE');
    expect(refusal(() => selectChoices(offer, { options: [], texts: [['Note', 'hi']] })).message).toMatch(/needs a choice for Size/);
    const byVariant = selectChoices(offer, { options: [], texts: [['Note', 'hi']], variantId: 'nope' });
    const error = refusal(() => pickVariant(offer, offer.variants!, byVariant, 'nope'));
    expect(error.message).toBe('"Premium Cotton Shirt" has no variant nope');
    expect(error.hint).toBe('Its variants: v-s (Size: S), v-m (Size: M)');
    expect(pickVariant(offer, offer.variants!, byVariant, 'v-m').id).toBe('v-m');
  });

  it('a product without options has its one variant', () => {
    const plain = offerOfV3({ _id: 'p4', name: 'Rug', options: [], modifiers: [], variantsInfo: { variants: [{ _id: '00000000-0000-0000-0000-000000000000', choices: [] }] } });
    const selection = selectChoices(plain, { options: [], texts: [] });
    expect(lineItemFor(plain, selection, 3, pickVariant(plain, plain.variants!, selection)).catalogReference.options).toEqual({ variantId: '00000000-0000-0000-0000-000000000000' });
  });
});

describe('lines', () => {
  const lines = [
    { _id: 'l1', quantity: 2, catalogReference: { catalogItemId: 'p1', options: { options: { Size: 'M' } } }, productName: { original: 'Shirt' }, url: 'https://s.example/product-page/shirt' },
    { _id: 'l2', quantity: 1, catalogReference: { catalogItemId: 'p1', options: { options: { Size: 'S' } } }, productName: { original: 'Shirt' }, url: 'https://s.example/product-page/shirt' },
    { _id: 'l3', quantity: 1, catalogReference: { catalogItemId: 'p2' }, productName: { original: 'Wool Rug' }, descriptionLines: [{ name: { original: 'Color' }, colorInfo: { original: 'Navy' } }] },
  ];

  it('a line by its ID, a product by its ID, slug (from the page URL), name, or the ID a slug lookup found', () => {
    expect(linesMatching(lines, 'l2').map((l) => l._id)).toEqual(['l2']);
    expect(linesMatching(lines, 'p1').map((l) => l._id)).toEqual(['l1', 'l2']);
    expect(linesMatching(lines, 'shirt').map((l) => l._id)).toEqual(['l1', 'l2']);
    expect(linesMatching(lines, 'wool rug').map((l) => l._id)).toEqual(['l3']);
    expect(linesMatching(lines, 'wool-rug')).toEqual([]);
    expect(linesMatching(lines, 'wool-rug', 'p2').map((l) => l._id)).toEqual(['l3']);
  });

  it('shows the options from the description lines, else from the reference', () => {
    expect(lineOptions(lines[2]!)).toBe('Color: Navy');
    expect(lineOptions(lines[0]!)).toBe('Size: M');
  });

  it('a line total is Wix\u2019s, else the price times the quantity in exact decimals', () => {
    expect(lineTotalText({ lineItemPrice: { formattedAmount: '$3.00' } }, 'USD')).toBe('$3.00');
    expect(lineTotalText({ price: { amount: '0.1' }, quantity: 3 }, 'USD')).toBe('$0.30');
    expect(multiplyDecimal('19.99', 3)).toBe('59.97');
    expect(multiplyDecimal('0.05', 7)).toBe('0.35');
    expect(multiplyDecimal('145', 2)).toBe('290');
  });
});
