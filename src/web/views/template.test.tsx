import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderFragment } from './render.ts';
import { templated } from './template.ts';

type Card = {
  name: string;
  note: string | null;
  tags: readonly string[];
  link: string;
};

function CardView(props: { card: Card }) {
  const { card } = props;
  return (
    <article>
      <h2 title={card.name}>Bonjour {card.name}</h2>
      {card.note === null ? <p>Rien à signaler</p> : <p class="note">{card.note}</p>}
      <ul>
        {card.tags.map((tag) => (
          <li>{tag}</li>
        ))}
      </ul>
      <a href={card.link}>{`${card.name} (${card.tags.length})`}</a>
    </article>
  );
}

const direct = (card: Card) => renderFragment(CardView({ card }));
const cards: Card[] = [
  { name: 'Zoé Noël — « ÉTÉ »', note: '日本語 ✓', tags: ['ç'], link: '/é' },
  { name: 'Angela', note: null, tags: ['a', 'b'], link: '/x?a=1&b=2' },
  { name: 'Jean-Luc <b>', note: 'O\'Brien & "fils"', tags: ['<script>alert(1)</script>'], link: 'javascript:"' },
  { name: '', note: '', tags: [], link: '' },
  { name: 'Zoé', note: 'ok', tags: ['a', 'b', 'c'], link: '/z' },
  { name: 'Lou', note: null, tags: ['d', 'e'], link: '/y' },
];

describe('templated views', () => {
  it('renders exactly what the view renders directly, escaping every value in text and in attributes alike', () => {
    const card = templated((model: { card: Card }) => CardView(model));
    for (let round = 0; round < 2; round++) {
      for (const model of cards) assert.equal(String(card({ card: model })), direct(model));
    }
    assert.equal(card.unsoundShapes(), 0);
    for (const model of cards) {
      const prefix = Buffer.from('<!doctype html>');
      assert.deepEqual(card({ card: model }).toBytes(prefix), Buffer.from(`<!doctype html>${direct(model)}`), 'the bytes sent are the page as UTF-8');
    }
    assert.ok(String(card({ card: cards[2]! })).includes('Bonjour Jean-Luc &lt;b&gt;'));
    assert.ok(!String(card({ card: cards[2]! })).includes('<script>'));
  });

  it('fills a later model of the same structure from the markup it kept, not from the first model', () => {
    const card = templated((model: { card: Card }) => CardView(model));
    card({ card: cards[1]! });
    const later = String(card({ card: cards[5]! }));
    assert.equal(later, direct(cards[5]!));
    assert.ok(!later.includes('Angela'));
  });

  it('takes a value that looks like its own marks as text', () => {
    const card = templated((model: { card: Card }) => CardView(model));
    const tricky: Card = { name: '\uE0000\uE001', note: '\uE0009\uE001', tags: ['\uE001'], link: '\uE000' };
    assert.equal(String(card({ card: tricky })), direct(tricky));
    assert.equal(String(card({ card: { ...tricky, name: 'Paul' } })), direct({ ...tricky, name: 'Paul' }));
  });

  it('renders directly, and right, a view that inspects its strings', () => {
    const shouting = templated((model: { name: string }) => <p>{model.name.toUpperCase()}</p>);
    assert.equal(String(shouting({ name: 'Angela' })), '<p>ANGELA</p>');
    assert.equal(String(shouting({ name: 'Jeanne' })), '<p>JEANNE</p>');
    assert.equal(shouting({ name: 'Zoé' }).toBytes(Buffer.alloc(0)).toString('utf8'), '<p>ZOÉ</p>');
    assert.equal(shouting.unsoundShapes(), 1);
  });

  it('stays right past the number of structures it keeps', () => {
    const card = templated((model: { card: Card }) => CardView(model), { maxShapes: 1 });
    for (const model of cards) assert.equal(String(card({ card: model })), direct(model));
  });
});
