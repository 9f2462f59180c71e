#!/usr/bin/env bash
# Generates the phone menu's voice prompts (server/assets/phone/<language>/<prompt>.wav: 8 kHz
# mono G.711 µ-law WAV, what a phone leg sends as is) with espeak-ng and sox, offline.
# The results are committed (about 1.3 MB), so a Parley without espeak-ng still answers phones;
# run this again after changing a text. Usage: bash server/scripts/phone/generatePrompts.sh
# The menu's prompts come first; then the in-call keypad's (server/src/phone/PhoneKeypad.ts):
# short confirmations and refusals, each seat's key list, and the alerts that start with two beeps.
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

# In the call the prompt replaces what the caller hears, so the keypad's are spoken a little faster
# and their trailing silence is cut.
brief() { # language voice name text
  mkdir -p "$out/$1"
  espeak-ng -v "$2" -s 165 -w "$tmp/$3.wav" "$4"
  sox "$tmp/$3.wav" -r 8000 -c 1 -e u-law -b 8 "$out/$1/$3.wav" \
    reverse silence 1 0.05 0.5% reverse pad 0.1 0 norm -3
}

# An alert the caller did not ask for: two short beeps (880 Hz), then the sentence.
alert() { # language voice name text
  mkdir -p "$out/$1"
  espeak-ng -v "$2" -s 165 -w "$tmp/$3-words.wav" "$4"
  sox "$tmp/$3-words.wav" -r 8000 -c 1 -b 16 "$tmp/$3-words8k.wav"
  sox -n -r 8000 -c 1 -b 16 "$tmp/beep.wav" synth 0.12 sine 880 vol 0.5 pad 0 0.08
  sox "$tmp/beep.wav" "$tmp/beep.wav" "$tmp/$3-words8k.wav" -e u-law -b 8 "$out/$1/$3.wav" \
    reverse silence 1 0.05 0.5% reverse norm -3
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

# The in-call keypad (README, "Join by phone": the key map).
brief en en-us sidebar-on "Private sidebar. The client cannot hear you."
brief en en-us sidebar-off "Sidebar ended. Everyone hears you."
brief en en-us simultaneous "Simultaneous mode."
brief en en-us consecutive "Consecutive mode."
brief en en-us into-english "Now into English."
brief en en-us into-spanish "Now into Spanish."
brief en en-us into-client "Now into the client's language."
brief en en-us simultaneous-first "Switch to simultaneous first: star two."
brief en en-us you-are-live "You are live now."
brief en en-us pause-acknowledged "Thank you. The interpreter knows."
brief en en-us no-pause "Nobody asked you to pause."
brief en en-us not-allowed "That key is not for your seat. Star zero for your keys."
brief en en-us not-now "That cannot be done now."
brief en en-us too-fast "Too many keys. Please wait."
brief en en-us keys-attorney "Star one: private sidebar. Star five: you are pausing. Star nine: Español."
brief en en-us keys-interpreter "Star two: consecutive or simultaneous. Star three: other language. Star four: take over."
brief en en-us keys-client "Star five: you are pausing. Star nine: Español."
alert en en-us pause-asked "The interpreter asks you to pause. Star five."
alert en en-us handover-asked "Your partner asks you to take over. Star four."

brief es es-419 sidebar-on "Conversación privada. El cliente no le oye."
brief es es-419 sidebar-off "Fin de la conversación privada. Todos le oyen."
brief es es-419 simultaneous "Modo simultáneo."
brief es es-419 consecutive "Modo consecutivo."
brief es es-419 into-english "Ahora al inglés."
brief es es-419 into-spanish "Ahora al español."
brief es es-419 into-client "Ahora al idioma del cliente."
brief es es-419 simultaneous-first "Primero pase a simultánea: asterisco dos."
brief es es-419 you-are-live "Ahora interpreta usted."
brief es es-419 pause-acknowledged "Gracias. El intérprete ya lo sabe."
brief es es-419 no-pause "Nadie le ha pedido una pausa."
brief es es-419 not-allowed "Esa tecla no es para usted. Asterisco cero: sus teclas."
brief es es-419 not-now "Eso no se puede hacer ahora."
brief es es-419 too-fast "Demasiadas teclas. Espere un momento."
brief es es-419 keys-attorney "Asterisco uno: conversación privada. Asterisco cinco: hace una pausa. Asterisco nueve: English."
brief es es-419 keys-interpreter "Asterisco dos: consecutiva o simultánea. Asterisco tres: el otro idioma. Asterisco cuatro: relevo."
brief es es-419 keys-client "Asterisco cinco: hace una pausa. Asterisco nueve: English."
alert es es-419 pause-asked "El intérprete le pide una pausa. Asterisco cinco."
alert es es-419 handover-asked "Su compañero le pide el relevo. Asterisco cuatro."
echo "prompts written to $out"
