import { outreachDraft, PLACEHOLDERS, templateOf, timeInWords } from '../../../shared/actions/outreachDrafts';
import { SERVICE_CATEGORIES } from '../../../shared/model/canonicalBundle';

describe('timeInWords', () => {
  it('says the time since a visit approximately, in words, without a digit', () => {
    const said = (days: number) => timeInWords(days);
    expect(said(3)).toBe('a few days');
    expect(said(7)).toBe('about a week');
    expect(said(10)).toBe('about a week');
    expect(said(11)).toBe('about two weeks');
    expect(said(38)).toBe('about five weeks');
    expect(said(52)).toBe('about seven weeks');
    expect(said(53)).toBe('about two months');
    expect(said(124)).toBe('about four months');
    expect(said(334)).toBe('about eleven months');
    expect(said(335)).toBe('about a year');
    expect(said(548)).toBe('over a year');
    for (let days = 0; days <= 2000; days++) expect(said(days)).not.toMatch(/\d|undefined/);
  });
});

describe('outreach drafts', () => {
  it('have a template per service category, other for other_service and an unknown category', () => {
    expect(templateOf('neurotoxin')).toBe('neurotoxin');
    expect(templateOf('consultation')).toBe('consultation');
    expect(templateOf('other_service')).toBe('other');
    expect(templateOf(null)).toBe('other');
  });

  it('read as a short, warm message with the EMR’s placeholders and the time in words', () => {
    expect(outreachDraft('neurotoxin', 124)).toEqual({
      template: 'neurotoxin',
      text: "Hi {{first_name}}, it's been about four months since your last neurotoxin appointment at {{practice_name}}. Whenever you'd like to come back in, you can book at {{booking_link}} or call us at {{practice_phone}}. We'd love to see you!",
      placeholders: ['first_name', 'practice_name', 'booking_link', 'practice_phone'],
    });
  });

  it('hold no digit, no @, only the four documented placeholders, and stay under 320 characters', () => {
    for (const category of [...SERVICE_CATEGORIES, null]) {
      for (const days of [5, 30, 90, 200, 400, 900]) {
        const draft = outreachDraft(category, days);
        expect(draft.text).not.toMatch(/[\d@]/);
        expect(
          draft.text.replace(/\{\{(?:first_name|practice_name|booking_link|practice_phone)\}\}/g, ''),
        ).not.toMatch(/[{}]/);
        expect(draft.placeholders.sort()).toEqual(Object.keys(PLACEHOLDERS).sort());
        expect(draft.text.length).toBeLessThan(320);
        // No clinical claim about what wears off or what a treatment does.
        expect(draft.text).not.toMatch(/wear|results|fade|lines|wrinkle|guarantee/i);
      }
    }
  });
});
