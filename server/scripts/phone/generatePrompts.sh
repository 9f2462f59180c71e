#!/usr/bin/env bash
# Generates the phone menu's voice prompts (server/assets/phone/<language>/<prompt>.wav: 8 kHz
# mono G.711 µ-law WAV, what a phone leg sends as is) with espeak-ng and sox, offline.
# The results are committed (about 300 KB), so a Parley without espeak-ng still answers phones;
# run this again after changing a text. Usage: bash server/scripts/phone/generatePrompts.sh
set -euo pipefail
for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "needs $tool (Debian: apt-get install -y espeak-ng sox)" >&2; exit 1; }
done
out="$(cd "$(dirname "$0")/../.." && pwd)/assets/phone"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

say() { # language voice name text
  mkdir -p "$out/$1"
  espeak-ng -v "$2" -s 150 -w "$tmp/$3.wav" "$4"
  # 8 kHz µ-law, loudness evened out, 0.2 s of lead-in so the first syllable is not clipped.
  sox "$tmp/$3.wav" -r 8000 -c 1 -e u-law -b 8 "$out/$1/$3.wav" pad 0.2 0 norm -3
}

say en en-us welcome "Welcome to Parley. Para español, oprima asterisco."
say en en-us enter-pin "Please enter the six digit PIN of your call."
say en en-us wrong-pin "That PIN is not right. Please try again."
say en en-us too-many "Too many wrong attempts. Goodbye."
say en en-us joining "Thank you. You are joining the call now."
say en en-us not-open "This call is not open now. Goodbye."
say en en-us failed "Sorry, the call cannot be connected now. Goodbye."

say es es-419 welcome "Bienvenido a Parley."
say es es-419 enter-pin "Marque el PIN de seis dígitos de su llamada."
say es es-419 wrong-pin "Ese PIN no es correcto. Inténtelo de nuevo."
say es es-419 too-many "Demasiados intentos. Adiós."
say es es-419 joining "Gracias. Está entrando en la llamada."
say es es-419 not-open "Esta llamada no está abierta ahora. Adiós."
say es es-419 failed "Lo sentimos, no se puede conectar la llamada ahora. Adiós."
echo "prompts written to $out"
