/**
 * Fonts for the scripts a facility tablet is least likely to have: a Linux kiosk or a plain
 * Chromium often ships only Latin, Greek, Cyrillic and Arabic (DejaVu, Liberation), and Hindi,
 * Punjabi, Bengali, Nepali, Tigrinya, Amharic and Mandarin then render as empty boxes.
 *
 * Each package's CSS declares its files per `unicode-range` subset, so a browser downloads only the
 * subsets of the characters it actually renders: a Spanish visit fetches none of these files, a
 * Mandarin visit fetches the few Han subsets on its screens. scriptFonts.css names each family for
 * the elements in its languages (`lang` attributes), which is what makes Chromium use it.
 *
 * Weights: 400 for text and 700 for the language grid's names; Simplified Chinese regular only
 * (its subsets are large, and the browser emboldens it where 700 is asked for).
 */
import '@fontsource/noto-sans-devanagari/400.css';
import '@fontsource/noto-sans-devanagari/700.css';
import '@fontsource/noto-sans-gurmukhi/400.css';
import '@fontsource/noto-sans-gurmukhi/700.css';
import '@fontsource/noto-sans-bengali/400.css';
import '@fontsource/noto-sans-bengali/700.css';
import '@fontsource/noto-sans-ethiopic/400.css';
import '@fontsource/noto-sans-ethiopic/700.css';
import '@fontsource/noto-sans-sc/400.css';
import './scriptFonts.css';
