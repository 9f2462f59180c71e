/**
 * Where the client catalogs (`locales/<language>/client.json`) are least trustworthy. Kept beside
 * them so a translator and a reviewer read the same notes; README.md here has the rules.
 */
import type { LanguageCode } from '@parley/shared';

function mayanNote(language: string, nativeWords: string): string {
  return (
    `Mostly Spanish on purpose. The only ${language} here is ${nativeWords}, written as ` +
    `"<word> (<Spanish>)"; every other string is the Spanish text, because we could not write full sentences in ${language} ` +
    `with confidence. Most ${language} speakers held in the US also read some Spanish, but many read ` +
    `neither well: a native ${language} speaker should supply the text, and the kiosk should speak ` +
    'the prompts aloud.'
  );
}

/**
 * Where the text above is least trustworthy. A language missing from this list was drafted with
 * reasonable confidence, but every language still deserves one native read-through before launch:
 * these screens tell people held in detention whether they can speak freely.
 */
export const TRANSLATION_REVIEW: Partial<Record<LanguageCode, string>> = {
  quc: mayanNote("K'iche'", `"Utz apetik" (welcome), "Je'" (yes) and "Maltyox" (thank you)`),
  mam:
    mayanNote('Mam', '"Chjonte" (thank you)') +
    ' Mam also differs a lot between regions (Huehuetenango, San Marcos, Quetzaltenango); ask which ' +
    "variety the facility's clients speak.",
  kjb: mayanNote("Q'anjob'al", '"Maj" (no) and "Yujwaltyoxh" (thank you)'),
  ti:
    'Machine-drafted; needs review by a native speaker. Grammar of several verbs (leave, record, ' +
    'join) is uncertain, and the words for "officer" (ሓላፊ) and "recorded" (ኣይቅዳሕን) are guesses. ' +
    'Eritrean usage assumed; Ethiopian Tigrinya speakers may phrase things differently.' +
    ' In callOpenElsewhere, "ስክሪን" (screen) is the English loanword: check that it is understood, or ' +
    'name the tablet instead.' +
    ' The turn… button words (ኣጥፍእ, ክፈት) are singular informal imperatives; youLeft and youCanRejoin' +
    ' use the plural of respect: make them agree once reviewed.' +
    ' pauseAcknowledge ("ሕራይ፣ ቁሩብ ጠጠው ክብል እየ", OK, I am pausing) is a guess built on pleasePause.',
  am:
    'Machine-drafted; needs review by a native speaker. Likely understandable, but word choices such ' +
    'as ኃላፊ for "officer" and the polite verb forms need checking.' +
    ' In callOpenElsewhere, "ስክሪን" (screen) is the English loanword: check that it is understood.',
  wo:
    'Machine-drafted; needs review by a native speaker. Mixes in French loanwords as spoken Wolof does, ' +
    'but spelling (official Wolof orthography vs. French spelling of loanwords) and several phrases ' +
    '("Duñu ko enregistrer", "Ñu ngi lay jokkale") are uncertain. Many Wolof speakers read French ' +
    'better than written Wolof: consider offering French alongside.' +
    ' callOpenElsewhere ("Woote bi nekk na ci beneen ekraan léegi", the call is now on another ' +
    'screen) is our least certain sentence.' +
    ' "Fey"/"Taal" (turn off/on) for the microphone and camera buttons, and youCanRejoin, also need' +
    ' checking.',
  ar:
    'Machine-drafted in Modern Standard Arabic; a native speaker should check it. Readers with little ' +
    "schooling may find MSA harder than their own dialect: spoken prompts in the client's dialect help.",
  hi:
    'Machine-drafted; a native speaker should check tone and the honorific verb forms.' +
    ' pauseAcknowledge gives both gendered verb forms (रुकता/रुकती): choose a neutral phrasing if one reads better.',
  pa:
    'Machine-drafted; a native speaker should check it. Gurmukhi script only: clients from Pakistan ' +
    'write Punjabi in Shahmukhi and cannot read this.' +
    ' pauseAcknowledge gives both gendered verb forms (ਰੁਕਦਾ/ਰੁਕਦੀ).',
  bn: 'Machine-drafted; a native speaker should check tone and word choice.',
  ne: 'Machine-drafted; a native speaker should check the honorific verb forms.',
  ht: 'Machine-drafted; a native speaker should check it. Believed natural, but not yet verified.',
  vi:
    'Machine-drafted; a native speaker should check it. Uses "bạn" for "you"; older clients may ' +
    'expect a more formal form, and "nhân viên" is used for both officer and staff.',
};
