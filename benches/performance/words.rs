//! The fixed vocabularies the synthetic corpus is drawn from: invented word salad, no real text.

/// Common English words, most frequent first (the corpus draws them with a Zipf law, so the
/// order matters: function words lead, then news-ish nouns and verbs).
pub const ENGLISH: &str = "
the of and to a in that is was for on with as by at said from it his he be are has have had an
were not but which this who they their will its after been more about would also over two new
one first last year years people out up than other into when there could some all them only
can her she we our most while before against under since three between during through
government minister city police report president country state company officials week election
court council economy energy water school health market city region border trade plan law
public group party members family workers prices union vote campaign agency service budget
project village bridge river harbor station hospital museum festival season team league match
coach players fans stadium farmers harvest weather storm flood drought fire forest island coast
mountain valley road railway airport port factory office bank loan debt tax wages rent housing
tenants landlord mayor governor senator judge lawyer witness trial verdict appeal prison
students teachers university research study scientists data survey results figures percent
million billion thousand hundred dozen morning evening night today yesterday tomorrow monday
tuesday wednesday thursday friday saturday sunday january february march april june july
august september october november december spring summer autumn winter north south east west
central local national international foreign domestic military security defense ministry
treaty talks summit leaders allies partners neighbors visit meeting statement declaration
agreement deal contract proposal decision ruling measure policy reform program strategy
growth decline increase drop rise fall recovery crisis shortage surplus demand supply
production exports imports investment investors shares stocks profit losses revenue costs
spending funding grants aid support opposition critics supporters residents citizens voters
community neighborhood district province capital streets square building tower church market
shop restaurant kitchen garden park field farm cattle grain wheat rice coffee tea fish boats
ships trucks cars buses trains pipeline network cable signal phone internet software
platform users accounts messages video images camera screen radio television newspaper
editor journalist article story interview speech question answer comment warning promise
announced reported confirmed denied warned urged called asked told added noted expected
planned agreed refused rejected approved signed opened closed launched built moved returned
arrived left began ended continued remained became seemed appeared showed found made took
gave kept brought held paid sold bought won lost met led ran set put cut sent spent raised
large small long short high low early late major minor recent former current future whole
several many few each every another such same different important possible likely clear
strong weak heavy light full empty open free fair safe dangerous difficult simple quiet busy
";

/// Two of the more common content words above, searched together by the search benchmark.
pub const SEARCH_WORDS: [&str; 2] = ["council", "budget"];

/// Syllables for invented rare words: the long tail a real archive's vocabulary has.
pub const SYLLABLES: &str = "
ka lo mi ne ru sa te vo da fi go hu ja ke li mo na pe qui ra si to vu wa xe yo za bel cor
dan fer gal hor ish jor kel lam mur nor pol ran sel tor urn val wen yar zel ost ard ing
";

pub const RUSSIAN: &str = "
и в не на что он с как это по но из к у за от то же все она так его только было да мы
вы был уже для вот году сказал заявил сообщил правительство рынок город министр президент
страна компания выборы суд совет экономика энергия вода школа здоровье неделя область
время работы люди бюджет проект закон налог цены решение встреча договор граница порт
завод банк район улица площадь мост река погода зима лето весна осень утро вечер новый
большой важный местный главный последний первый второй несколько много
";

/// Frequent CJK characters; CJK text is written without spaces, as it is on the web.
pub const CJK: &str = "
的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过
子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体
制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内
数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提
直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计
";

/// Parts of invented site names (hosts end in `.example`, which can never be a real site).
pub const SITE_PREFIXES: &str = "
daily morning evening city metro valley harbor river north south east west coast capital
union free national global open independent
";
pub const SITE_STEMS: &str = "
herald times post gazette tribune courier observer chronicle journal review ledger dispatch
record sentinel monitor standard bulletin news press report
";

pub const FIRST_NAMES: &str = "
Ana Boris Chen Dana Elif Femi Greta Hugo Ines Jonas Kira Lars Mina Nils Olga Pavel Rosa Sami
Tara Umar Vera Wei Yusuf Zoe
";
pub const LAST_NAMES: &str = "
Abara Brandt Castillo Dmitriev Eriksen Fontaine Garber Haddad Ivanova Jansen Kowal Lindqvist
Moreau Novak Okafor Petrov Quist Rahman Sato Tanaka Ueda Varga Weller Yilmaz Zielinski
";

pub const AGENCIES: &str = "AFP Reuters AP Interfax Xinhua DPA";

pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
