// A lesson over the sample run (send-pop3), in two languages, for the
// component tests: two step-linked notes, a "what comes next" question
// before RETR 1 and an end-of-lesson question.
import type { Lesson } from '../core/types';

const notes = (ehlo: string, retr: string) => [
  { id: 'ehlo', section: 'submit', at: { proto: 'submission', dir: 'C', text: '^EHLO ', nth: 1 }, text: ehlo },
  { id: 'retr', section: 'pop3', at: { kind: 'line', proto: 'pop3', dir: 'C', client: 'bob-laptop', text: '^RETR 1$' }, text: retr },
];

const quiz = (q1: string, q2: string): Lesson['quiz'] => [
  {
    id: 'q-next-retr',
    kind: 'next',
    before: { proto: 'pop3', dir: 'C', text: '^RETR 1$' },
    question: q1,
    answers: ['QUIT', 'RETR 1', 'DELE 1'],
    correct: 1,
    explain: 'RETR downloads the message.',
  },
  { id: 'q-where', kind: 'choice', question: q2, answers: ['On the laptop', 'On the server'], correct: 0, explain: 'POP3 downloads.' },
];

export const lessonEn: Lesson = {
  id: 'send',
  number: 1,
  scenario: 'send-pop3',
  title: 'How an email travels',
  summary: 'From Alice to Bob.',
  lang: 'en',
  body: [
    '## Alice submits {#submit}',
    '',
    'The MUA sends `EHLO` to the **MSA**. <script>alert(1)</script>',
    '',
    '| port | use |',
    '| --- | --- |',
    '| 587 | submission |',
    '',
    '## Bob fetches {#pop3}',
    '',
    '- `RETR 1` downloads',
    '- `DELE 1` marks *for deletion*',
  ].join('\n'),
  notes: notes('EHLO: the client introduces itself.', 'RETR 1 fetches the whole message.'),
  quiz: quiz('What does the laptop send next?', 'Where is the mail now?'),
};

export const lessonDe: Lesson = {
  ...lessonEn,
  lang: 'de',
  title: 'Wie eine E-Mail reist',
  summary: 'Von Alice zu Bob.',
  body: '## Alice liefert ein {#submit}\n\nDas E-Mail-Programm sendet `EHLO`.\n\n## Bob ruft ab {#pop3}\n\n- `RETR 1` lädt herunter',
  notes: notes('EHLO: der Client stellt sich vor.', 'RETR 1 holt die ganze Nachricht.'),
  quiz: quiz('Was sendet der Laptop als Nächstes?', 'Wo ist die E-Mail jetzt?'),
};
