/**
 * The words a detained client sees: the kiosk's sign-in and waiting screens and the client's side of
 * the call. Short, plain, second person, no legal terms; one set per language in LANGUAGES.
 *
 * Rules for translators:
 * - Placeholders such as `{minutes}` and `{time}` stay exactly as they are, in every language.
 * - `timeRemaining` is shown for two minutes or more. Where a language makes the noun agree with the
 *   number (Russian, Romanian, Arabic) the text puts the number after a colon so that any count reads
 *   correctly.
 * - Digits are written as Western digits (0-9) in every language, because the keypad and clock show
 *   them that way.
 * - Microphone and camera: `microphoneOn`, `microphoneOff`, `cameraOn` and `cameraOff` say what is
 *   true NOW ("Microphone off" = nobody hears you); they are the words on the button, beside an icon
 *   that shows the same. `turnMicrophoneOff` and the other `turn…` keys name what a tap DOES; they
 *   are the button's tooltip and what a screen reader says. Never swap the two kinds.
 *
 * None of this text has yet been checked by a native speaker. TRANSLATION_REVIEW says which languages
 * need that most, and why. Read it before you ship any language.
 */
import type { LanguageCode } from '../languages.ts';
import { findLanguage } from '../languages.ts';

export const CLIENT_STRING_KEYS = [
  'chooseLanguage',
  'welcome',
  'privateNotice',
  'privateNoticeDetail',
  'waitingForLawyer',
  'waitingForInterpreter',
  'enterPin',
  'pinWrong',
  'join',
  'joining',
  'leave',
  'leaveConfirm',
  'yes',
  'no',
  'microphoneOn',
  'microphoneOff',
  'turnMicrophoneOff',
  'turnMicrophoneOn',
  'youAreMuted',
  'cameraOff',
  'cameraOn',
  'turnCameraOff',
  'turnCameraOn',
  'youLeft',
  'youCanRejoin',
  'callEnded',
  'timeRemaining',
  'fiveMinutesLeft',
  'reconnecting',
  'callOpenElsewhere',
  'sidebarActive',
  'lawyer',
  'interpreter',
  'you',
  'pleasePause',
  'todaysCalls',
  'noCallsToday',
  'back',
  'help',
  'deviceNotSetUp',
  'poorConnection',
  'startsAt',
] as const;

export type ClientStringKey = (typeof CLIENT_STRING_KEYS)[number];

type ClientStrings = Record<ClientStringKey, string>;

const en: ClientStrings = {
  chooseLanguage: 'Choose your language',
  welcome: 'Welcome',
  privateNotice: 'This call is private. It is not recorded.',
  privateNoticeDetail: 'Only your lawyer and the interpreter can hear you. Facility staff cannot listen.',
  waitingForLawyer: 'Please wait. Your lawyer will join soon.',
  waitingForInterpreter: 'Please wait. Your interpreter will join soon.',
  enterPin: 'Type your 6-digit code',
  pinWrong: 'That code is not right. Ask the officer for your code.',
  join: 'Join the call',
  joining: 'Connecting…',
  leave: 'Leave the call',
  leaveConfirm: 'Do you want to leave the call?',
  yes: 'Yes',
  no: 'No',
  microphoneOff: 'Microphone off',
  microphoneOn: 'Microphone on',
  youAreMuted: 'Your microphone is off',
  cameraOff: 'Camera off',
  cameraOn: 'Camera on',
  turnMicrophoneOff: 'Turn microphone off',
  turnMicrophoneOn: 'Turn microphone on',
  turnCameraOff: 'Turn camera off',
  turnCameraOn: 'Turn camera on',
  youLeft: 'You left the call.',
  youCanRejoin: 'The others are still in the call. You can join again.',
  callEnded: 'The call has ended. Thank you.',
  timeRemaining: '{minutes} minutes left',
  fiveMinutesLeft: '5 minutes left',
  reconnecting: 'Connection lost. Reconnecting…',
  callOpenElsewhere: 'This call is now open on another screen.',
  sidebarActive: 'Your lawyer is speaking privately with the interpreter. Please wait.',
  lawyer: 'Lawyer',
  interpreter: 'Interpreter',
  you: 'You',
  pleasePause: 'Please pause so the interpreter can speak',
  todaysCalls: "Today's calls",
  noCallsToday: 'No calls are scheduled now.',
  back: 'Back',
  help: 'Ask an officer for help',
  deviceNotSetUp: 'This tablet is not set up yet. Please ask facility staff.',
  poorConnection: 'Weak connection',
  startsAt: 'Starts at {time}',
};

/** Latin American Spanish, formal "usted", gender-neutral where it costs nothing. */
const es: ClientStrings = {
  chooseLanguage: 'Elija su idioma',
  welcome: 'Le damos la bienvenida',
  privateNotice: 'Esta llamada es privada. No se graba.',
  privateNoticeDetail:
    'Solo su abogado y el intérprete pueden oír lo que usted dice. El personal del centro no puede escuchar.',
  waitingForLawyer: 'Por favor, espere. Su abogado se conectará pronto.',
  waitingForInterpreter: 'Por favor, espere. Su intérprete se conectará pronto.',
  enterPin: 'Escriba su código de 6 números',
  pinWrong: 'Ese código no es correcto. Pida su código al oficial.',
  join: 'Entrar a la llamada',
  joining: 'Conectando…',
  leave: 'Salir de la llamada',
  leaveConfirm: '¿Quiere salir de la llamada?',
  yes: 'Sí',
  no: 'No',
  microphoneOff: 'Micrófono apagado',
  microphoneOn: 'Micrófono encendido',
  youAreMuted: 'Su micrófono está apagado',
  cameraOff: 'Cámara apagada',
  cameraOn: 'Cámara encendida',
  turnMicrophoneOff: 'Apagar el micrófono',
  turnMicrophoneOn: 'Encender el micrófono',
  turnCameraOff: 'Apagar la cámara',
  turnCameraOn: 'Encender la cámara',
  youLeft: 'Usted salió de la llamada.',
  youCanRejoin: 'Los demás siguen en la llamada. Puede volver a entrar.',
  callEnded: 'La llamada terminó. Gracias.',
  timeRemaining: 'Quedan {minutes} minutos',
  fiveMinutesLeft: 'Quedan 5 minutos',
  reconnecting: 'Se perdió la conexión. Conectando otra vez…',
  callOpenElsewhere: 'Esta llamada ahora está abierta en otra pantalla.',
  sidebarActive: 'Su abogado está hablando en privado con el intérprete. Por favor, espere.',
  lawyer: 'Abogado',
  interpreter: 'Intérprete',
  you: 'Usted',
  pleasePause: 'Por favor, haga una pausa para que hable el intérprete',
  todaysCalls: 'Llamadas de hoy',
  noCallsToday: 'Ahora no hay llamadas programadas.',
  back: 'Atrás',
  help: 'Pida ayuda a un oficial',
  deviceNotSetUp: 'Esta tableta todavía no está lista. Por favor, avise al personal del centro.',
  poorConnection: 'Conexión débil',
  startsAt: 'Empieza a las {time}',
};

const ht: ClientStrings = {
  chooseLanguage: 'Chwazi lang ou',
  welcome: 'Byenveni',
  privateNotice: 'Apèl sa a prive. Yo pa anrejistre li.',
  privateNoticeDetail:
    'Se sèlman avoka w ak entèprèt la ki ka tande w. Anplwaye ki travay isit la pa ka koute.',
  waitingForLawyer: 'Tanpri tann. Avoka w ap vini talè.',
  waitingForInterpreter: 'Tanpri tann. Entèprèt ou ap vini talè.',
  enterPin: 'Tape kòd 6 chif ou a',
  pinWrong: 'Kòd sa a pa bon. Mande ofisye a kòd ou.',
  join: 'Antre nan apèl la',
  joining: 'N ap konekte…',
  leave: 'Kite apèl la',
  leaveConfirm: 'Èske ou vle kite apèl la?',
  yes: 'Wi',
  no: 'Non',
  microphoneOff: 'Mikwofòn fèmen',
  microphoneOn: 'Mikwofòn ouvè',
  youAreMuted: 'Mikwofòn ou fèmen',
  cameraOff: 'Kamera fèmen',
  cameraOn: 'Kamera ouvè',
  turnMicrophoneOff: 'Fèmen mikwofòn nan',
  turnMicrophoneOn: 'Ouvri mikwofòn nan',
  turnCameraOff: 'Fèmen kamera a',
  turnCameraOn: 'Ouvri kamera a',
  youLeft: 'Ou kite apèl la.',
  youCanRejoin: 'Lòt moun yo toujou nan apèl la. Ou ka antre ankò.',
  callEnded: 'Apèl la fini. Mèsi.',
  timeRemaining: 'Rete {minutes} minit',
  fiveMinutesLeft: 'Rete 5 minit',
  reconnecting: 'Koneksyon an koupe. N ap rekonekte…',
  callOpenElsewhere: 'Apèl sa a louvri sou yon lòt ekran kounye a.',
  sidebarActive: 'Avoka w ap pale an prive ak entèprèt la. Tanpri tann.',
  lawyer: 'Avoka',
  interpreter: 'Entèprèt',
  you: 'Ou',
  pleasePause: 'Tanpri kanpe yon ti moman pou entèprèt la ka pale',
  todaysCalls: 'Apèl jodi a',
  noCallsToday: 'Pa gen okenn apèl pwograme kounye a.',
  back: 'Retounen',
  help: 'Mande yon ofisye pou ede w',
  deviceNotSetUp: 'Tablèt sa a poko pare. Tanpri mande anplwaye ki travay isit la.',
  poorConnection: 'Koneksyon fèb',
  startsAt: 'Kòmanse a {time}',
};

/*
 * The three Mayan languages. Written K'iche', Mam and Q'anjob'al are read by few of their speakers
 * (schooling in Guatemala is mostly in Spanish), and we could not write whole sentences in them with
 * confidence. So each entry starts from the Spanish text and replaces only the few keys where a short
 * word we are sure of exists, written as "<Mayan word> (<Spanish>)". Every other key is Spanish, on
 * purpose, until a native speaker supplies the text (see TRANSLATION_REVIEW). The kiosk should also
 * speak these prompts aloud; on-screen text alone will not reach many of these clients.
 */

/** K'iche': Maltyox = thank you; Utz apetik = welcome (lit. "good your coming"); Je' = yes. */
const quc: ClientStrings = {
  ...es,
  welcome: 'Utz apetik (Le damos la bienvenida)',
  yes: "Je' (Sí)",
  callEnded: 'Maltyox (La llamada terminó. Gracias.)',
};

/** Mam: Chjonte = thank you. */
const mam: ClientStrings = {
  ...es,
  callEnded: 'Chjonte (La llamada terminó. Gracias.)',
};

/** Q'anjob'al: Yujwaltyoxh = thank you very much; Maj = no. */
const kjb: ClientStrings = {
  ...es,
  no: 'Maj (No)',
  callEnded: 'Yujwaltyoxh (La llamada terminó. Gracias.)',
};

/** Brazilian Portuguese, "você". */
const pt: ClientStrings = {
  chooseLanguage: 'Escolha seu idioma',
  welcome: 'Boas-vindas',
  privateNotice: 'Esta chamada é particular. Ela não é gravada.',
  privateNoticeDetail:
    'Só o seu advogado e o intérprete podem ouvir você. Os funcionários do centro não podem escutar.',
  waitingForLawyer: 'Por favor, aguarde. Seu advogado vai entrar logo.',
  waitingForInterpreter: 'Por favor, aguarde. Seu intérprete vai entrar logo.',
  enterPin: 'Digite seu código de 6 números',
  pinWrong: 'Esse código não está certo. Peça o seu código ao agente.',
  join: 'Entrar na chamada',
  joining: 'Conectando…',
  leave: 'Sair da chamada',
  leaveConfirm: 'Você quer sair da chamada?',
  yes: 'Sim',
  no: 'Não',
  microphoneOff: 'Microfone desligado',
  microphoneOn: 'Microfone ligado',
  youAreMuted: 'Seu microfone está desligado',
  cameraOff: 'Câmera desligada',
  cameraOn: 'Câmera ligada',
  turnMicrophoneOff: 'Desligar o microfone',
  turnMicrophoneOn: 'Ligar o microfone',
  turnCameraOff: 'Desligar a câmera',
  turnCameraOn: 'Ligar a câmera',
  youLeft: 'Você saiu da chamada.',
  youCanRejoin: 'Os outros continuam na chamada. Você pode entrar de novo.',
  callEnded: 'A chamada terminou. Obrigado.',
  timeRemaining: 'Faltam {minutes} minutos',
  fiveMinutesLeft: 'Faltam 5 minutos',
  reconnecting: 'A conexão caiu. Conectando de novo…',
  callOpenElsewhere: 'Esta chamada agora está aberta em outra tela.',
  sidebarActive: 'Seu advogado está falando em particular com o intérprete. Por favor, aguarde.',
  lawyer: 'Advogado',
  interpreter: 'Intérprete',
  you: 'Você',
  pleasePause: 'Por favor, faça uma pausa para o intérprete falar',
  todaysCalls: 'Chamadas de hoje',
  noCallsToday: 'Não há chamadas marcadas agora.',
  back: 'Voltar',
  help: 'Peça ajuda a um agente',
  deviceNotSetUp: 'Este tablet ainda não está pronto. Por favor, avise os funcionários do centro.',
  poorConnection: 'Conexão fraca',
  startsAt: 'Começa às {time}',
};

/** French, "vous". The space before "?" is a no-break space, as French typography wants. */
const fr: ClientStrings = {
  chooseLanguage: 'Choisissez votre langue',
  welcome: 'Bienvenue',
  privateNotice: 'Cet appel est privé. Il n’est pas enregistré.',
  privateNoticeDetail:
    'Seuls votre avocat et l’interprète peuvent vous entendre. Le personnel du centre ne peut pas écouter.',
  waitingForLawyer: 'Veuillez patienter. Votre avocat va bientôt arriver.',
  waitingForInterpreter: 'Veuillez patienter. Votre interprète va bientôt arriver.',
  enterPin: 'Tapez votre code à 6 chiffres',
  pinWrong: 'Ce code n’est pas bon. Demandez votre code à l’agent.',
  join: 'Rejoindre l’appel',
  joining: 'Connexion…',
  leave: 'Quitter l’appel',
  leaveConfirm: 'Voulez-vous quitter l’appel\u00a0?',
  yes: 'Oui',
  no: 'Non',
  microphoneOff: 'Micro coupé',
  microphoneOn: 'Micro activé',
  youAreMuted: 'Votre micro est coupé',
  cameraOff: 'Caméra coupée',
  cameraOn: 'Caméra activée',
  turnMicrophoneOff: 'Couper le micro',
  turnMicrophoneOn: 'Activer le micro',
  turnCameraOff: 'Couper la caméra',
  turnCameraOn: 'Activer la caméra',
  youLeft: 'Vous avez quitté l’appel.',
  youCanRejoin: 'Les autres sont toujours dans l’appel. Vous pouvez revenir.',
  callEnded: 'L’appel est terminé. Merci.',
  timeRemaining: 'Il reste {minutes} minutes',
  fiveMinutesLeft: 'Il reste 5 minutes',
  reconnecting: 'Connexion perdue. Reconnexion…',
  callOpenElsewhere: 'Cet appel est maintenant ouvert sur un autre écran.',
  sidebarActive: 'Votre avocat parle en privé avec l’interprète. Veuillez patienter.',
  lawyer: 'Avocat',
  interpreter: 'Interprète',
  you: 'Vous',
  pleasePause: 'Faites une pause pour laisser parler l’interprète',
  todaysCalls: 'Appels d’aujourd’hui',
  noCallsToday: 'Aucun appel n’est prévu pour le moment.',
  back: 'Retour',
  help: 'Demandez de l’aide à un agent',
  deviceNotSetUp: 'Cette tablette n’est pas encore prête. Veuillez prévenir le personnel du centre.',
  poorConnection: 'Connexion faible',
  startsAt: 'Commence à {time}',
};

/** Modern Standard Arabic; right-to-left (clientText isolates inserted values, see below). */
const ar: ClientStrings = {
  chooseLanguage: 'اختر لغتك',
  welcome: 'مرحبًا بك',
  privateNotice: 'هذه المكالمة خاصة. لا يتم تسجيلها.',
  privateNoticeDetail: 'لا يسمعك إلا محاميك والمترجم. لا يستطيع موظفو المركز الاستماع.',
  waitingForLawyer: 'يرجى الانتظار. سينضم محاميك قريبًا.',
  waitingForInterpreter: 'يرجى الانتظار. سينضم مترجمك قريبًا.',
  enterPin: 'اكتب رمزك المكوّن من 6 أرقام',
  pinWrong: 'هذا الرمز غير صحيح. اطلب رمزك من الضابط.',
  join: 'الانضمام إلى المكالمة',
  joining: 'جارٍ الاتصال…',
  leave: 'مغادرة المكالمة',
  leaveConfirm: 'هل تريد مغادرة المكالمة؟',
  yes: 'نعم',
  no: 'لا',
  microphoneOff: 'الميكروفون مغلق',
  microphoneOn: 'الميكروفون يعمل',
  youAreMuted: 'الميكروفون الخاص بك مغلق',
  cameraOff: 'الكاميرا مغلقة',
  cameraOn: 'الكاميرا تعمل',
  turnMicrophoneOff: 'إيقاف الميكروفون',
  turnMicrophoneOn: 'تشغيل الميكروفون',
  turnCameraOff: 'إيقاف الكاميرا',
  turnCameraOn: 'تشغيل الكاميرا',
  youLeft: 'لقد غادرت المكالمة.',
  youCanRejoin: 'الآخرون ما زالوا في المكالمة. يمكنك الانضمام مرة أخرى.',
  callEnded: 'انتهت المكالمة. شكرًا لك.',
  timeRemaining: 'الدقائق المتبقية: {minutes}',
  fiveMinutesLeft: 'بقيت 5 دقائق',
  reconnecting: 'انقطع الاتصال. جارٍ إعادة الاتصال…',
  callOpenElsewhere: 'هذه المكالمة مفتوحة الآن على شاشة أخرى.',
  sidebarActive: 'محاميك يتحدث على انفراد مع المترجم. يرجى الانتظار.',
  lawyer: 'المحامي',
  interpreter: 'المترجم',
  you: 'أنت',
  pleasePause: 'يرجى التوقف قليلًا حتى يتمكن المترجم من الكلام',
  todaysCalls: 'مكالمات اليوم',
  noCallsToday: 'لا توجد مكالمات مجدولة الآن.',
  back: 'رجوع',
  help: 'اطلب المساعدة من أحد الضباط',
  deviceNotSetUp: 'هذا الجهاز اللوحي غير جاهز بعد. يرجى إبلاغ موظفي المركز.',
  poorConnection: 'الاتصال ضعيف',
  startsAt: 'تبدأ الساعة {time}',
};

const hi: ClientStrings = {
  chooseLanguage: 'अपनी भाषा चुनें',
  welcome: 'स्वागत है',
  privateNotice: 'यह कॉल निजी है। इसे रिकॉर्ड नहीं किया जाता।',
  privateNoticeDetail: 'सिर्फ़ आपके वकील और दुभाषिया आपको सुन सकते हैं। यहाँ के कर्मचारी नहीं सुन सकते।',
  waitingForLawyer: 'कृपया इंतज़ार करें। आपके वकील जल्द ही जुड़ेंगे।',
  waitingForInterpreter: 'कृपया इंतज़ार करें। आपके दुभाषिया जल्द ही जुड़ेंगे।',
  enterPin: 'अपना 6 अंकों का कोड टाइप करें',
  pinWrong: 'यह कोड सही नहीं है। अपना कोड अधिकारी से पूछें।',
  join: 'कॉल में जुड़ें',
  joining: 'कनेक्ट हो रहा है…',
  leave: 'कॉल छोड़ें',
  leaveConfirm: 'क्या आप कॉल छोड़ना चाहते हैं?',
  yes: 'हाँ',
  no: 'नहीं',
  microphoneOff: 'माइक बंद',
  microphoneOn: 'माइक चालू',
  youAreMuted: 'आपका माइक बंद है',
  cameraOff: 'कैमरा बंद',
  cameraOn: 'कैमरा चालू',
  turnMicrophoneOff: 'माइक बंद करें',
  turnMicrophoneOn: 'माइक चालू करें',
  turnCameraOff: 'कैमरा बंद करें',
  turnCameraOn: 'कैमरा चालू करें',
  youLeft: 'आपने कॉल छोड़ दी है।',
  youCanRejoin: 'बाकी लोग अभी भी कॉल में हैं। आप फिर से जुड़ सकते हैं।',
  callEnded: 'कॉल खत्म हो गई है। धन्यवाद।',
  timeRemaining: '{minutes} मिनट बाकी',
  fiveMinutesLeft: '5 मिनट बाकी',
  reconnecting: 'कनेक्शन टूट गया। दोबारा कनेक्ट हो रहा है…',
  callOpenElsewhere: 'यह कॉल अब किसी दूसरी स्क्रीन पर खुली है।',
  sidebarActive: 'आपके वकील दुभाषिये से अकेले में बात कर रहे हैं। कृपया इंतज़ार करें।',
  lawyer: 'वकील',
  interpreter: 'दुभाषिया',
  you: 'आप',
  pleasePause: 'कृपया रुकें ताकि दुभाषिया बोल सके',
  todaysCalls: 'आज की कॉल',
  noCallsToday: 'अभी कोई कॉल तय नहीं है।',
  back: 'वापस',
  help: 'मदद के लिए किसी अधिकारी से कहें',
  deviceNotSetUp: 'यह टैबलेट अभी तैयार नहीं है। कृपया यहाँ के कर्मचारियों से कहें।',
  poorConnection: 'कमज़ोर कनेक्शन',
  startsAt: '{time} बजे शुरू',
};

/** Punjabi in Gurmukhi script. */
const pa: ClientStrings = {
  chooseLanguage: 'ਆਪਣੀ ਭਾਸ਼ਾ ਚੁਣੋ',
  welcome: 'ਜੀ ਆਇਆਂ ਨੂੰ',
  privateNotice: 'ਇਹ ਕਾਲ ਨਿੱਜੀ ਹੈ। ਇਸ ਨੂੰ ਰਿਕਾਰਡ ਨਹੀਂ ਕੀਤਾ ਜਾਂਦਾ।',
  privateNoticeDetail: 'ਸਿਰਫ਼ ਤੁਹਾਡਾ ਵਕੀਲ ਅਤੇ ਦੁਭਾਸ਼ੀਆ ਤੁਹਾਨੂੰ ਸੁਣ ਸਕਦੇ ਹਨ। ਇੱਥੋਂ ਦਾ ਸਟਾਫ਼ ਨਹੀਂ ਸੁਣ ਸਕਦਾ।',
  waitingForLawyer: 'ਕਿਰਪਾ ਕਰਕੇ ਉਡੀਕ ਕਰੋ। ਤੁਹਾਡਾ ਵਕੀਲ ਜਲਦੀ ਜੁੜੇਗਾ।',
  waitingForInterpreter: 'ਕਿਰਪਾ ਕਰਕੇ ਉਡੀਕ ਕਰੋ। ਤੁਹਾਡਾ ਦੁਭਾਸ਼ੀਆ ਜਲਦੀ ਜੁੜੇਗਾ।',
  enterPin: 'ਆਪਣਾ 6 ਅੰਕਾਂ ਵਾਲਾ ਕੋਡ ਟਾਈਪ ਕਰੋ',
  pinWrong: 'ਇਹ ਕੋਡ ਸਹੀ ਨਹੀਂ ਹੈ। ਆਪਣਾ ਕੋਡ ਅਫ਼ਸਰ ਤੋਂ ਪੁੱਛੋ।',
  join: 'ਕਾਲ ਵਿੱਚ ਸ਼ਾਮਲ ਹੋਵੋ',
  joining: 'ਜੁੜ ਰਿਹਾ ਹੈ…',
  leave: 'ਕਾਲ ਛੱਡੋ',
  leaveConfirm: 'ਕੀ ਤੁਸੀਂ ਕਾਲ ਛੱਡਣਾ ਚਾਹੁੰਦੇ ਹੋ?',
  yes: 'ਹਾਂ',
  no: 'ਨਹੀਂ',
  microphoneOff: 'ਮਾਈਕ ਬੰਦ',
  microphoneOn: 'ਮਾਈਕ ਚਾਲੂ',
  youAreMuted: 'ਤੁਹਾਡਾ ਮਾਈਕ ਬੰਦ ਹੈ',
  cameraOff: 'ਕੈਮਰਾ ਬੰਦ',
  cameraOn: 'ਕੈਮਰਾ ਚਾਲੂ',
  turnMicrophoneOff: 'ਮਾਈਕ ਬੰਦ ਕਰੋ',
  turnMicrophoneOn: 'ਮਾਈਕ ਚਾਲੂ ਕਰੋ',
  turnCameraOff: 'ਕੈਮਰਾ ਬੰਦ ਕਰੋ',
  turnCameraOn: 'ਕੈਮਰਾ ਚਾਲੂ ਕਰੋ',
  youLeft: 'ਤੁਸੀਂ ਕਾਲ ਛੱਡ ਦਿੱਤੀ ਹੈ।',
  youCanRejoin: 'ਬਾਕੀ ਲੋਕ ਅਜੇ ਵੀ ਕਾਲ ਵਿੱਚ ਹਨ। ਤੁਸੀਂ ਦੁਬਾਰਾ ਜੁੜ ਸਕਦੇ ਹੋ।',
  callEnded: 'ਕਾਲ ਖ਼ਤਮ ਹੋ ਗਈ ਹੈ। ਧੰਨਵਾਦ।',
  timeRemaining: '{minutes} ਮਿੰਟ ਬਾਕੀ',
  fiveMinutesLeft: '5 ਮਿੰਟ ਬਾਕੀ',
  reconnecting: 'ਕਨੈਕਸ਼ਨ ਟੁੱਟ ਗਿਆ। ਦੁਬਾਰਾ ਜੋੜ ਰਹੇ ਹਾਂ…',
  callOpenElsewhere: 'ਇਹ ਕਾਲ ਹੁਣ ਕਿਸੇ ਹੋਰ ਸਕਰੀਨ ਉੱਤੇ ਖੁੱਲ੍ਹੀ ਹੈ।',
  sidebarActive: 'ਤੁਹਾਡਾ ਵਕੀਲ ਦੁਭਾਸ਼ੀਏ ਨਾਲ ਇਕੱਲੇ ਵਿੱਚ ਗੱਲ ਕਰ ਰਿਹਾ ਹੈ। ਕਿਰਪਾ ਕਰਕੇ ਉਡੀਕ ਕਰੋ।',
  lawyer: 'ਵਕੀਲ',
  interpreter: 'ਦੁਭਾਸ਼ੀਆ',
  you: 'ਤੁਸੀਂ',
  pleasePause: 'ਕਿਰਪਾ ਕਰਕੇ ਰੁਕੋ ਤਾਂ ਜੋ ਦੁਭਾਸ਼ੀਆ ਬੋਲ ਸਕੇ',
  todaysCalls: 'ਅੱਜ ਦੀਆਂ ਕਾਲਾਂ',
  noCallsToday: 'ਹੁਣ ਕੋਈ ਕਾਲ ਤੈਅ ਨਹੀਂ ਹੈ।',
  back: 'ਵਾਪਸ',
  help: 'ਮਦਦ ਲਈ ਕਿਸੇ ਅਫ਼ਸਰ ਨੂੰ ਕਹੋ',
  deviceNotSetUp: 'ਇਹ ਟੈਬਲੇਟ ਅਜੇ ਤਿਆਰ ਨਹੀਂ ਹੈ। ਕਿਰਪਾ ਕਰਕੇ ਇੱਥੋਂ ਦੇ ਸਟਾਫ਼ ਨੂੰ ਦੱਸੋ।',
  poorConnection: 'ਕਮਜ਼ੋਰ ਕਨੈਕਸ਼ਨ',
  startsAt: '{time} ਵਜੇ ਸ਼ੁਰੂ',
};

const bn: ClientStrings = {
  chooseLanguage: 'আপনার ভাষা বেছে নিন',
  welcome: 'স্বাগতম',
  privateNotice: 'এই কলটি গোপনীয়। এটি রেকর্ড করা হয় না।',
  privateNoticeDetail: 'শুধু আপনার আইনজীবী আর দোভাষী আপনার কথা শুনতে পারেন। এখানকার কর্মীরা শুনতে পারেন না।',
  waitingForLawyer: 'অনুগ্রহ করে অপেক্ষা করুন। আপনার আইনজীবী শীঘ্রই যোগ দেবেন।',
  waitingForInterpreter: 'অনুগ্রহ করে অপেক্ষা করুন। আপনার দোভাষী শীঘ্রই যোগ দেবেন।',
  enterPin: 'আপনার 6 সংখ্যার কোড লিখুন',
  pinWrong: 'এই কোডটি সঠিক নয়। আপনার কোড অফিসারের কাছে চেয়ে নিন।',
  join: 'কলে যোগ দিন',
  joining: 'সংযোগ হচ্ছে…',
  leave: 'কল থেকে বের হন',
  leaveConfirm: 'আপনি কি কল থেকে বের হতে চান?',
  yes: 'হ্যাঁ',
  no: 'না',
  microphoneOff: 'মাইক বন্ধ',
  microphoneOn: 'মাইক চালু',
  youAreMuted: 'আপনার মাইক বন্ধ আছে',
  cameraOff: 'ক্যামেরা বন্ধ',
  cameraOn: 'ক্যামেরা চালু',
  turnMicrophoneOff: 'মাইক বন্ধ করুন',
  turnMicrophoneOn: 'মাইক চালু করুন',
  turnCameraOff: 'ক্যামেরা বন্ধ করুন',
  turnCameraOn: 'ক্যামেরা চালু করুন',
  youLeft: 'আপনি কল ছেড়ে দিয়েছেন।',
  youCanRejoin: 'অন্যরা এখনও কলে আছেন। আপনি আবার যোগ দিতে পারেন।',
  callEnded: 'কল শেষ হয়েছে। ধন্যবাদ।',
  timeRemaining: 'আর {minutes} মিনিট বাকি',
  fiveMinutesLeft: 'আর 5 মিনিট বাকি',
  reconnecting: 'সংযোগ বিচ্ছিন্ন হয়েছে। আবার সংযোগ করা হচ্ছে…',
  callOpenElsewhere: 'এই কলটি এখন অন্য একটি স্ক্রিনে খোলা আছে।',
  sidebarActive: 'আপনার আইনজীবী দোভাষীর সাথে আলাদাভাবে কথা বলছেন। অনুগ্রহ করে অপেক্ষা করুন।',
  lawyer: 'আইনজীবী',
  interpreter: 'দোভাষী',
  you: 'আপনি',
  pleasePause: 'অনুগ্রহ করে একটু থামুন, যাতে দোভাষী কথা বলতে পারেন',
  todaysCalls: 'আজকের কল',
  noCallsToday: 'এখন কোনো কল নির্ধারিত নেই।',
  back: 'ফিরে যান',
  help: 'সাহায্যের জন্য একজন অফিসারকে বলুন',
  deviceNotSetUp: 'এই ট্যাবলেটটি এখনও প্রস্তুত নয়। অনুগ্রহ করে এখানকার কর্মীদের বলুন।',
  poorConnection: 'দুর্বল সংযোগ',
  startsAt: '{time}-এ শুরু',
};

const ne: ClientStrings = {
  chooseLanguage: 'आफ्नो भाषा छान्नुहोस्',
  welcome: 'स्वागत छ',
  privateNotice: 'यो कल निजी हो। यसलाई रेकर्ड गरिँदैन।',
  privateNoticeDetail: 'तपाईंको वकिल र दोभाषेले मात्र तपाईंलाई सुन्न सक्नुहुन्छ। यहाँका कर्मचारीले सुन्न सक्दैनन्।',
  waitingForLawyer: 'कृपया पर्खनुहोस्। तपाईंको वकिल चाँडै जोडिनुहुनेछ।',
  waitingForInterpreter: 'कृपया पर्खनुहोस्। तपाईंको दोभाषे चाँडै जोडिनुहुनेछ।',
  enterPin: 'आफ्नो 6 अङ्कको कोड टाइप गर्नुहोस्',
  pinWrong: 'यो कोड मिलेन। आफ्नो कोड अफिसरसँग सोध्नुहोस्।',
  join: 'कलमा जोडिनुहोस्',
  joining: 'जोडिँदै छ…',
  leave: 'कल छोड्नुहोस्',
  leaveConfirm: 'के तपाईं कल छोड्न चाहनुहुन्छ?',
  yes: 'हो',
  no: 'होइन',
  microphoneOff: 'माइक बन्द',
  microphoneOn: 'माइक चालु',
  youAreMuted: 'तपाईंको माइक बन्द छ',
  cameraOff: 'क्यामेरा बन्द',
  cameraOn: 'क्यामेरा चालु',
  turnMicrophoneOff: 'माइक बन्द गर्नुहोस्',
  turnMicrophoneOn: 'माइक चालु गर्नुहोस्',
  turnCameraOff: 'क्यामेरा बन्द गर्नुहोस्',
  turnCameraOn: 'क्यामेरा चालु गर्नुहोस्',
  youLeft: 'तपाईंले कल छोड्नुभयो।',
  youCanRejoin: 'अरू अझै कलमा हुनुहुन्छ। तपाईं फेरि जोडिन सक्नुहुन्छ।',
  callEnded: 'कल सकियो। धन्यवाद।',
  timeRemaining: '{minutes} मिनेट बाँकी',
  fiveMinutesLeft: '5 मिनेट बाँकी',
  reconnecting: 'जडान टुट्यो। फेरि जोडिँदै छ…',
  callOpenElsewhere: 'यो कल अहिले अर्को स्क्रिनमा खुला छ।',
  sidebarActive: 'तपाईंको वकिल दोभाषेसँग छुट्टै कुरा गर्दै हुनुहुन्छ। कृपया पर्खनुहोस्।',
  lawyer: 'वकिल',
  interpreter: 'दोभाषे',
  you: 'तपाईं',
  pleasePause: 'कृपया अलि रोकिनुहोस्, दोभाषेलाई बोल्न दिनुहोस्',
  todaysCalls: 'आजका कलहरू',
  noCallsToday: 'अहिले कुनै कल तय गरिएको छैन।',
  back: 'पछाडि',
  help: 'मद्दतका लागि अफिसरलाई भन्नुहोस्',
  deviceNotSetUp: 'यो ट्याब्लेट अझै तयार छैन। कृपया यहाँका कर्मचारीलाई भन्नुहोस्।',
  poorConnection: 'कमजोर जडान',
  startsAt: '{time} मा सुरु',
};

const ru: ClientStrings = {
  chooseLanguage: 'Выберите язык',
  welcome: 'Добро пожаловать',
  privateNotice: 'Это конфиденциальный звонок. Он не записывается.',
  privateNoticeDetail: 'Вас слышат только ваш адвокат и переводчик. Сотрудники учреждения не могут слушать.',
  waitingForLawyer: 'Пожалуйста, подождите. Ваш адвокат скоро подключится.',
  waitingForInterpreter: 'Пожалуйста, подождите. Ваш переводчик скоро подключится.',
  enterPin: 'Введите свой код из 6 цифр',
  pinWrong: 'Этот код неверный. Спросите свой код у сотрудника.',
  join: 'Подключиться к звонку',
  joining: 'Подключение…',
  leave: 'Выйти из звонка',
  leaveConfirm: 'Вы хотите выйти из звонка?',
  yes: 'Да',
  no: 'Нет',
  microphoneOff: 'Микрофон выключен',
  microphoneOn: 'Микрофон включён',
  youAreMuted: 'Ваш микрофон выключен',
  cameraOff: 'Камера выключена',
  cameraOn: 'Камера включена',
  turnMicrophoneOff: 'Выключить микрофон',
  turnMicrophoneOn: 'Включить микрофон',
  turnCameraOff: 'Выключить камеру',
  turnCameraOn: 'Включить камеру',
  youLeft: 'Вы вышли из звонка.',
  youCanRejoin: 'Остальные ещё в звонке. Вы можете вернуться.',
  callEnded: 'Звонок завершён. Спасибо.',
  timeRemaining: 'Осталось минут: {minutes}',
  fiveMinutesLeft: 'Осталось 5 минут',
  reconnecting: 'Связь прервалась. Переподключение…',
  callOpenElsewhere: 'Этот звонок теперь открыт на другом экране.',
  sidebarActive: 'Ваш адвокат говорит с переводчиком наедине. Пожалуйста, подождите.',
  lawyer: 'Адвокат',
  interpreter: 'Переводчик',
  you: 'Вы',
  pleasePause: 'Пожалуйста, сделайте паузу, чтобы переводчик мог говорить',
  todaysCalls: 'Звонки на сегодня',
  noCallsToday: 'Сейчас звонков не запланировано.',
  back: 'Назад',
  help: 'Попросите помощи у сотрудника',
  deviceNotSetUp: 'Этот планшет ещё не готов. Пожалуйста, обратитесь к сотрудникам учреждения.',
  poorConnection: 'Слабая связь',
  startsAt: 'Начало в {time}',
};

/** Romanian, polite "dumneavoastră"; ș and ț with comma below. */
const ro: ClientStrings = {
  chooseLanguage: 'Alegeți limba',
  welcome: 'Bun venit',
  privateNotice: 'Acest apel este privat. Nu este înregistrat.',
  privateNoticeDetail:
    'Doar avocatul dumneavoastră și interpretul vă pot auzi. Personalul centrului nu poate asculta.',
  waitingForLawyer: 'Vă rugăm să așteptați. Avocatul dumneavoastră se va conecta în curând.',
  waitingForInterpreter: 'Vă rugăm să așteptați. Interpretul dumneavoastră se va conecta în curând.',
  enterPin: 'Scrieți codul de 6 cifre',
  pinWrong: 'Codul nu este corect. Cereți codul de la ofițer.',
  join: 'Intrați în apel',
  joining: 'Se conectează…',
  leave: 'Ieșiți din apel',
  leaveConfirm: 'Vreți să ieșiți din apel?',
  yes: 'Da',
  no: 'Nu',
  microphoneOff: 'Microfon oprit',
  microphoneOn: 'Microfon pornit',
  youAreMuted: 'Microfonul dumneavoastră este oprit',
  cameraOff: 'Cameră oprită',
  cameraOn: 'Cameră pornită',
  turnMicrophoneOff: 'Opriți microfonul',
  turnMicrophoneOn: 'Porniți microfonul',
  turnCameraOff: 'Opriți camera',
  turnCameraOn: 'Porniți camera',
  youLeft: 'Ați ieșit din apel.',
  youCanRejoin: 'Ceilalți sunt încă în apel. Puteți intra din nou.',
  callEnded: 'Apelul s-a încheiat. Vă mulțumim.',
  timeRemaining: 'Minute rămase: {minutes}',
  fiveMinutesLeft: 'Au mai rămas 5 minute',
  reconnecting: 'Conexiunea s-a pierdut. Se reconectează…',
  callOpenElsewhere: 'Acest apel este acum deschis pe alt ecran.',
  sidebarActive: 'Avocatul dumneavoastră vorbește în privat cu interpretul. Vă rugăm să așteptați.',
  lawyer: 'Avocat',
  interpreter: 'Interpret',
  you: 'Dumneavoastră',
  pleasePause: 'Vă rugăm să faceți o pauză ca să poată vorbi interpretul',
  todaysCalls: 'Apelurile de azi',
  noCallsToday: 'Acum nu este programat niciun apel.',
  back: 'Înapoi',
  help: 'Cereți ajutor unui ofițer',
  deviceNotSetUp: 'Această tabletă nu este încă pregătită. Vă rugăm să anunțați personalul centrului.',
  poorConnection: 'Conexiune slabă',
  startsAt: 'Începe la {time}',
};

const tr: ClientStrings = {
  chooseLanguage: 'Dilinizi seçin',
  welcome: 'Hoş geldiniz',
  privateNotice: 'Bu görüşme özeldir. Kaydedilmez.',
  privateNoticeDetail: 'Sizi yalnızca avukatınız ve tercüman duyabilir. Tesis personeli dinleyemez.',
  waitingForLawyer: 'Lütfen bekleyin. Avukatınız birazdan katılacak.',
  waitingForInterpreter: 'Lütfen bekleyin. Tercümanınız birazdan katılacak.',
  enterPin: '6 haneli kodunuzu yazın',
  pinWrong: 'Bu kod doğru değil. Kodunuzu görevliye sorun.',
  join: 'Görüşmeye katıl',
  joining: 'Bağlanıyor…',
  leave: 'Görüşmeden çık',
  leaveConfirm: 'Görüşmeden çıkmak istiyor musunuz?',
  yes: 'Evet',
  no: 'Hayır',
  microphoneOff: 'Mikrofon kapalı',
  microphoneOn: 'Mikrofon açık',
  youAreMuted: 'Mikrofonunuz kapalı',
  cameraOff: 'Kamera kapalı',
  cameraOn: 'Kamera açık',
  turnMicrophoneOff: 'Mikrofonu kapat',
  turnMicrophoneOn: 'Mikrofonu aç',
  turnCameraOff: 'Kamerayı kapat',
  turnCameraOn: 'Kamerayı aç',
  youLeft: 'Görüşmeden ayrıldınız.',
  youCanRejoin: 'Diğerleri hâlâ görüşmede. Yeniden katılabilirsiniz.',
  callEnded: 'Görüşme sona erdi. Teşekkür ederiz.',
  timeRemaining: '{minutes} dakika kaldı',
  fiveMinutesLeft: '5 dakika kaldı',
  reconnecting: 'Bağlantı koptu. Yeniden bağlanıyor…',
  callOpenElsewhere: 'Bu görüşme şimdi başka bir ekranda açık.',
  sidebarActive: 'Avukatınız tercümanla özel olarak konuşuyor. Lütfen bekleyin.',
  lawyer: 'Avukat',
  interpreter: 'Tercüman',
  you: 'Siz',
  pleasePause: 'Lütfen tercümanın konuşabilmesi için ara verin',
  todaysCalls: 'Bugünkü görüşmeler',
  noCallsToday: 'Şu anda planlanmış görüşme yok.',
  back: 'Geri',
  help: 'Bir görevliden yardım isteyin',
  deviceNotSetUp: 'Bu tablet henüz hazır değil. Lütfen tesis personeline haber verin.',
  poorConnection: 'Zayıf bağlantı',
  startsAt: 'Başlangıç: {time}',
};

/** Tigrinya, polite plural address (ንስኹም) as is usual with strangers. */
const ti: ClientStrings = {
  chooseLanguage: 'ቋንቋኹም ምረጹ',
  welcome: 'እንቋዕ ብደሓን መጻእኩም',
  privateNotice: 'እዚ ጻውዒት ብሕታዊ እዩ። ኣይቅዳሕን እዩ።',
  privateNoticeDetail: 'ጠበቓኹምን ተርጓሚን ጥራይ እዮም ክሰምዑኹም ዝኽእሉ። ሰራሕተኛታት እዚ ቦታ ክሰምዑ ኣይክእሉን።',
  waitingForLawyer: 'በጃኹም ተጸበዩ። ጠበቓኹም ቀልጢፉ ክመጽእ እዩ።',
  waitingForInterpreter: 'በጃኹም ተጸበዩ። ተርጓሚኹም ቀልጢፉ ክመጽእ እዩ።',
  enterPin: 'ናይ 6 ቁጽሪ ኮድኩም ጸሓፉ',
  pinWrong: 'እዚ ኮድ ቅኑዕ ኣይኮነን። ኮድኩም ንሓላፊ ሕተቱ።',
  join: 'ናብ ጻውዒት ኣትዉ',
  joining: 'ይራኸብ ኣሎ…',
  leave: 'ካብ ጻውዒት ውጽኡ',
  leaveConfirm: 'ካብ ጻውዒት ክትወጽኡ ትደልዩ ዶ?',
  yes: 'እወ',
  no: 'ኣይፋል',
  microphoneOff: 'ማይክሮፎን ጠፊኡ',
  microphoneOn: 'ማይክሮፎን ተኸፊቱ',
  youAreMuted: 'ማይክሮፎንኩም ጠፊኡ ኣሎ',
  cameraOff: 'ካሜራ ጠፊኡ',
  cameraOn: 'ካሜራ ተኸፊቱ',
  turnMicrophoneOff: 'ማይክሮፎን ኣጥፍእ',
  turnMicrophoneOn: 'ማይክሮፎን ክፈት',
  turnCameraOff: 'ካሜራ ኣጥፍእ',
  turnCameraOn: 'ካሜራ ክፈት',
  youLeft: 'ካብቲ ጻውዒት ወጺእኩም።',
  youCanRejoin: 'ካልኦት ገና ኣብቲ ጻውዒት ኣለዉ። ደጊምኩም ክትኣትዉ ትኽእሉ ኢኹም።',
  callEnded: 'ጻውዒት ተወዲኡ። የቐንየልና።',
  timeRemaining: '{minutes} ደቒቕ ተሪፉ',
  fiveMinutesLeft: '5 ደቒቕ ተሪፉ',
  reconnecting: 'ርክብ ተቋሪጹ። ደጊሙ ይራኸብ ኣሎ…',
  callOpenElsewhere: 'እዚ ጻውዒት ሕጂ ኣብ ካልእ ስክሪን ተኸፊቱ ኣሎ።',
  sidebarActive: 'ጠበቓኹም ምስ ተርጓሚ ብሕታዊ ይዛረብ ኣሎ። በጃኹም ተጸበዩ።',
  lawyer: 'ጠበቓ',
  interpreter: 'ተርጓሚ',
  you: 'ንስኹም',
  pleasePause: 'በጃኹም ተርጓሚ ክዛረብ ምእንቲ ቁሩብ ጠጠው በሉ',
  todaysCalls: 'ናይ ሎሚ ጻውዒታት',
  noCallsToday: 'ሕጂ ዝተመደበ ጻውዒት የለን።',
  back: 'ተመለሱ',
  help: 'ሓገዝ ካብ ሓላፊ ሕተቱ',
  deviceNotSetUp: 'እዚ ታብለት ገና ኣይተዳለወን። በጃኹም ንሰራሕተኛታት እዚ ቦታ ሕተቱ።',
  poorConnection: 'ድኹም ርክብ',
  startsAt: 'ኣብ {time} ይጅምር',
};

/** Amharic, polite address (እርስዎ). */
const am: ClientStrings = {
  chooseLanguage: 'ቋንቋዎን ይምረጡ',
  welcome: 'እንኳን ደህና መጡ',
  privateNotice: 'ይህ ጥሪ ግላዊ ነው። አይቀረጽም።',
  privateNoticeDetail: 'እርስዎን መስማት የሚችሉት ጠበቃዎና አስተርጓሚው ብቻ ናቸው። የተቋሙ ሠራተኞች ማዳመጥ አይችሉም።',
  waitingForLawyer: 'እባክዎ ይጠብቁ። ጠበቃዎ በቅርቡ ይቀላቀላሉ።',
  waitingForInterpreter: 'እባክዎ ይጠብቁ። አስተርጓሚዎ በቅርቡ ይቀላቀላሉ።',
  enterPin: 'ባለ 6 አሃዝ ኮድዎን ያስገቡ',
  pinWrong: 'ይህ ኮድ ትክክል አይደለም። ኃላፊውን ኮድዎን ይጠይቁ።',
  join: 'ወደ ጥሪው ይግቡ',
  joining: 'በመገናኘት ላይ…',
  leave: 'ከጥሪው ይውጡ',
  leaveConfirm: 'ከጥሪው መውጣት ይፈልጋሉ?',
  yes: 'አዎ',
  no: 'አይ',
  microphoneOff: 'ማይክሮፎን ጠፍቷል',
  microphoneOn: 'ማይክሮፎን በርቷል',
  youAreMuted: 'ማይክሮፎንዎ ጠፍቷል',
  cameraOff: 'ካሜራ ጠፍቷል',
  cameraOn: 'ካሜራ በርቷል',
  turnMicrophoneOff: 'ማይክሮፎኑን ያጥፉ',
  turnMicrophoneOn: 'ማይክሮፎኑን ያብሩ',
  turnCameraOff: 'ካሜራውን ያጥፉ',
  turnCameraOn: 'ካሜራውን ያብሩ',
  youLeft: 'ከጥሪው ወጥተዋል።',
  youCanRejoin: 'ሌሎቹ አሁንም በጥሪው ላይ ናቸው። እንደገና መግባት ይችላሉ።',
  callEnded: 'ጥሪው አብቅቷል። እናመሰግናለን።',
  timeRemaining: '{minutes} ደቂቃ ቀርቷል',
  fiveMinutesLeft: '5 ደቂቃ ቀርቷል',
  reconnecting: 'ግንኙነቱ ተቋርጧል። እንደገና በመገናኘት ላይ…',
  callOpenElsewhere: 'ይህ ጥሪ አሁን በሌላ ስክሪን ላይ ተከፍቷል።',
  sidebarActive: 'ጠበቃዎ ከአስተርጓሚው ጋር በግል እየተነጋገሩ ነው። እባክዎ ይጠብቁ።',
  lawyer: 'ጠበቃ',
  interpreter: 'አስተርጓሚ',
  you: 'እርስዎ',
  pleasePause: 'አስተርጓሚው እንዲናገር እባክዎ ትንሽ ያቁሙ',
  todaysCalls: 'የዛሬ ጥሪዎች',
  noCallsToday: 'አሁን የተያዘ ጥሪ የለም።',
  back: 'ወደ ኋላ',
  help: 'እርዳታ ከፈለጉ ኃላፊ ይጠይቁ',
  deviceNotSetUp: 'ይህ ታብሌት ገና ዝግጁ አይደለም። እባክዎ የተቋሙን ሠራተኞች ይጠይቁ።',
  poorConnection: 'ደካማ ግንኙነት',
  startsAt: 'በ{time} ይጀምራል',
};

/**
 * Wolof (Senegal), Latin script. Uses the French loanwords Senegalese speakers use every day
 * (avocat, code, micro, caméra, tablette, officier) rather than coined Wolof terms.
 */
const wo: ClientStrings = {
  chooseLanguage: 'Tànnal sa làkk',
  welcome: 'Dalal ak jàmm',
  privateNotice: 'Woote bii sutura la. Duñu ko enregistrer.',
  privateNoticeDetail: 'Sa avocat ak tekkikat bi rekk ñoo lay dégg. Liggéeykat yi fii duñu mën a déglu.',
  waitingForLawyer: 'Xaaral tuuti. Sa avocat dina ñëw léegi.',
  waitingForInterpreter: 'Xaaral tuuti. Sa tekkikat dina ñëw léegi.',
  enterPin: 'Bindal sa code bu am 6 chiffre',
  pinWrong: 'Code bii baaxul. Laajal officier bi sa code.',
  join: 'Dugg ci woote bi',
  joining: 'Ñu ngi lay jokkale…',
  leave: 'Génn ci woote bi',
  leaveConfirm: 'Ndax dangay bëgg a génn ci woote bi?',
  yes: 'Waaw',
  no: 'Déedéet',
  microphoneOff: 'Micro bi fey na',
  microphoneOn: 'Micro bi taal na',
  youAreMuted: 'Sa micro fey na',
  cameraOff: 'Caméra bi fey na',
  cameraOn: 'Caméra bi taal na',
  turnMicrophoneOff: 'Fey micro bi',
  turnMicrophoneOn: 'Taal micro bi',
  turnCameraOff: 'Fey caméra bi',
  turnCameraOn: 'Taal caméra bi',
  youLeft: 'Génn nga ci woote bi.',
  youCanRejoin: 'Ñeneen ñi ngi ci woote bi ba léegi. Man nga dugg ati.',
  callEnded: 'Woote bi jeex na. Jërëjëf.',
  timeRemaining: 'Des na {minutes} minit',
  fiveMinutesLeft: 'Des na 5 minit',
  reconnecting: 'Jokkoo bi dog na. Ñu ngi koy jokkaat…',
  callOpenElsewhere: 'Woote bi nekk na ci beneen ekraan léegi.',
  sidebarActive: 'Sa avocat mi ngi waxtaan ak tekkikat bi ci sutura. Xaaral tuuti.',
  lawyer: 'Avocat',
  interpreter: 'Tekkikat',
  you: 'Yow',
  pleasePause: 'Taxawal tuuti ngir tekkikat bi mën a wax',
  todaysCalls: 'Woote yu tey',
  noCallsToday: 'Léegi amul benn woote.',
  back: 'Dellu',
  help: 'Laajal ndimbal ci benn officier',
  deviceNotSetUp: 'Tablette bii pareegul. Laajal liggéeykat yi fii.',
  poorConnection: 'Jokkoo bu néew',
  startsAt: 'Dina tàmbali ci {time}',
};

/** Mandarin, Simplified Chinese, polite 您. */
const zh: ClientStrings = {
  chooseLanguage: '选择您的语言',
  welcome: '欢迎',
  privateNotice: '这次通话是保密的。不会录音。',
  privateNoticeDetail: '只有您的律师和翻译能听到您说话。这里的工作人员不能旁听。',
  waitingForLawyer: '请稍等。您的律师很快就会加入。',
  waitingForInterpreter: '请稍等。您的翻译很快就会加入。',
  enterPin: '请输入您的6位数字代码',
  pinWrong: '这个代码不对。请向警官询问您的代码。',
  join: '加入通话',
  joining: '正在连接…',
  leave: '离开通话',
  leaveConfirm: '您要离开通话吗？',
  yes: '是',
  no: '否',
  microphoneOff: '麦克风已关闭',
  microphoneOn: '麦克风已打开',
  youAreMuted: '您的麦克风已关闭',
  cameraOff: '摄像头已关闭',
  cameraOn: '摄像头已打开',
  turnMicrophoneOff: '关闭麦克风',
  turnMicrophoneOn: '打开麦克风',
  turnCameraOff: '关闭摄像头',
  turnCameraOn: '打开摄像头',
  youLeft: '您已离开通话。',
  youCanRejoin: '其他人仍在通话中。您可以重新加入。',
  callEnded: '通话已结束。谢谢。',
  timeRemaining: '还剩 {minutes} 分钟',
  fiveMinutesLeft: '还剩 5 分钟',
  reconnecting: '连接中断。正在重新连接…',
  callOpenElsewhere: '此通话现在已在另一个屏幕上打开。',
  sidebarActive: '您的律师正在与翻译单独谈话。请稍等。',
  lawyer: '律师',
  interpreter: '翻译',
  you: '您',
  pleasePause: '请停一下，让翻译说话',
  todaysCalls: '今天的通话',
  noCallsToday: '现在没有安排通话。',
  back: '返回',
  help: '请向警官求助',
  deviceNotSetUp: '这台平板电脑还没有准备好。请告诉这里的工作人员。',
  poorConnection: '网络信号弱',
  startsAt: '{time} 开始',
};

const vi: ClientStrings = {
  chooseLanguage: 'Chọn ngôn ngữ của bạn',
  welcome: 'Chào mừng bạn',
  privateNotice: 'Cuộc gọi này là riêng tư. Cuộc gọi không bị ghi âm.',
  privateNoticeDetail:
    'Chỉ luật sư của bạn và thông dịch viên nghe được bạn nói. Nhân viên ở đây không thể nghe.',
  waitingForLawyer: 'Xin vui lòng chờ. Luật sư của bạn sẽ vào ngay.',
  waitingForInterpreter: 'Xin vui lòng chờ. Thông dịch viên của bạn sẽ vào ngay.',
  enterPin: 'Nhập mã 6 số của bạn',
  pinWrong: 'Mã này không đúng. Hãy hỏi nhân viên để lấy mã của bạn.',
  join: 'Vào cuộc gọi',
  joining: 'Đang kết nối…',
  leave: 'Rời cuộc gọi',
  leaveConfirm: 'Bạn có muốn rời cuộc gọi không?',
  yes: 'Có',
  no: 'Không',
  microphoneOff: 'Đã tắt micrô',
  microphoneOn: 'Đã bật micrô',
  youAreMuted: 'Micrô của bạn đang tắt',
  cameraOff: 'Đã tắt camera',
  cameraOn: 'Đã bật camera',
  turnMicrophoneOff: 'Tắt micrô',
  turnMicrophoneOn: 'Bật micrô',
  turnCameraOff: 'Tắt camera',
  turnCameraOn: 'Bật camera',
  youLeft: 'Bạn đã rời cuộc gọi.',
  youCanRejoin: 'Những người khác vẫn đang trong cuộc gọi. Bạn có thể tham gia lại.',
  callEnded: 'Cuộc gọi đã kết thúc. Cảm ơn bạn.',
  timeRemaining: 'Còn {minutes} phút',
  fiveMinutesLeft: 'Còn 5 phút',
  reconnecting: 'Mất kết nối. Đang kết nối lại…',
  callOpenElsewhere: 'Cuộc gọi này hiện đang mở trên một màn hình khác.',
  sidebarActive: 'Luật sư của bạn đang nói chuyện riêng với thông dịch viên. Xin vui lòng chờ.',
  lawyer: 'Luật sư',
  interpreter: 'Thông dịch viên',
  you: 'Bạn',
  pleasePause: 'Xin hãy ngừng một chút để thông dịch viên nói',
  todaysCalls: 'Cuộc gọi hôm nay',
  noCallsToday: 'Hiện không có cuộc gọi nào.',
  back: 'Quay lại',
  help: 'Hãy nhờ nhân viên giúp đỡ',
  deviceNotSetUp: 'Máy tính bảng này chưa sẵn sàng. Xin vui lòng báo cho nhân viên ở đây.',
  poorConnection: 'Kết nối yếu',
  startsAt: 'Bắt đầu lúc {time}',
};

export const CLIENT_STRINGS: Record<LanguageCode, Record<ClientStringKey, string>> = {
  en,
  es,
  ht,
  quc,
  mam,
  kjb,
  pt,
  fr,
  ar,
  hi,
  pa,
  bn,
  ne,
  ru,
  ro,
  tr,
  ti,
  am,
  wo,
  zh,
  vi,
};

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
    ' use the plural of respect: make them agree once reviewed.',
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
  hi: 'Machine-drafted; a native speaker should check tone and the honorific verb forms.',
  pa:
    'Machine-drafted; a native speaker should check it. Gurmukhi script only: clients from Pakistan ' +
    'write Punjabi in Shahmukhi and cannot read this.',
  bn: 'Machine-drafted; a native speaker should check tone and word choice.',
  ne: 'Machine-drafted; a native speaker should check the honorific verb forms.',
  ht: 'Machine-drafted; a native speaker should check it. Believed natural, but not yet verified.',
  vi:
    'Machine-drafted; a native speaker should check it. Uses "bạn" for "you"; older clients may ' +
    'expect a more formal form, and "nhân viên" is used for both officer and staff.',
};

const RTL_ISOLATE_START = '\u2068'; // FIRST STRONG ISOLATE
const RTL_ISOLATE_END = '\u2069'; // POP DIRECTIONAL ISOLATE

/** The language to read from: the exact code, else its primary subtag (pt-BR -> pt), else Spanish. */
function resolveLanguage(language: string): LanguageCode {
  const lower = language.trim().toLowerCase();
  const primary = lower.split(/[-_]/)[0] ?? '';
  for (const candidate of [lower, primary]) {
    if (Object.hasOwn(CLIENT_STRINGS, candidate)) return candidate as LanguageCode;
  }
  return 'es';
}

/**
 * The text of `key` in `language`, with `{name}` placeholders filled from `vars`.
 *
 * An unknown language code falls back to Spanish (the language most clients share), and a missing or
 * empty string falls back to Spanish and then English. Placeholders with no value in `vars` are left
 * as they are. In right-to-left languages each inserted value is wrapped in Unicode directional
 * isolates so that a time such as "2:30 PM" does not scramble the Arabic sentence around it.
 */
export function clientText(
  language: string,
  key: ClientStringKey,
  vars?: Record<string, string | number>,
): string {
  const code = resolveLanguage(language);
  const order: LanguageCode[] = [code, 'es', 'en'];
  let template = '';
  let used: LanguageCode = 'en';
  for (const candidate of order) {
    const text = CLIENT_STRINGS[candidate]?.[key];
    if (text && text.trim() !== '') {
      template = text;
      used = candidate;
      break;
    }
  }
  if (!vars) return template;
  const rtl = findLanguage(used)?.direction === 'rtl';
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
    if (!Object.hasOwn(vars, name)) return placeholder;
    const value = String(vars[name]);
    return rtl ? RTL_ISOLATE_START + value + RTL_ISOLATE_END : value;
  });
}
