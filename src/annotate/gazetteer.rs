//! The built-in gazetteer: places (countries, capitals, major cities,
//! regions, US states), well-known organizations and acronyms, and the word
//! lists that discovery classifies capitalised runs with (titles,
//! organization and place heads, events, sentence-initial common words).
//!
//! Everything here is general knowledge that holds for any news article; it
//! is looked up by exact surface form (case-sensitive for names, on the
//! lower-cased word for the class lists).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::LazyLock;

use super::entities::EntityKind;

/// How a gazetteer surface names its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// The name itself or an alternate name ("U.S.", "Britain").
    Name,
    /// An adjective that stands for the place ("Chinese", "North Korean").
    Adjective,
    /// A plural for its people ("Kenyans"): names the country only when the
    /// country is named otherwise too.
    People,
}

/// A gazetteer hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Known {
    /// The canonical name.
    pub(crate) canonical: &'static str,
    /// Its kind.
    pub(crate) kind: EntityKind,
    /// How the surface names it.
    pub(crate) form: Form,
}

/// Countries: canonical name, other names, adjectives, capital(s).
/// Lists inside a field are separated by `|`.
#[rustfmt::skip]
const COUNTRIES: &[(&str, &str, &str, &str)] = &[
    ("Afghanistan", "", "Afghan", "Kabul"),
    ("Albania", "", "Albanian", "Tirana"),
    ("Algeria", "", "Algerian", "Algiers"),
    ("Andorra", "", "Andorran", ""),
    ("Angola", "", "Angolan", "Luanda"),
    ("Antigua and Barbuda", "", "", ""),
    ("Argentina", "", "Argentine|Argentinian", "Buenos Aires"),
    ("Armenia", "", "Armenian", "Yerevan"),
    ("Australia", "", "Australian", "Canberra"),
    ("Austria", "", "Austrian", "Vienna"),
    ("Azerbaijan", "", "Azerbaijani", "Baku"),
    ("Bahamas", "The Bahamas", "Bahamian", "Nassau"),
    ("Bahrain", "", "Bahraini", "Manama"),
    ("Bangladesh", "", "Bangladeshi", "Dhaka"),
    ("Barbados", "", "Barbadian", "Bridgetown"),
    ("Belarus", "", "Belarusian", "Minsk"),
    ("Belgium", "", "Belgian", "Brussels"),
    ("Belize", "", "Belizean", "Belmopan"),
    ("Benin", "", "Beninese", "Porto-Novo"),
    ("Bhutan", "", "Bhutanese", "Thimphu"),
    ("Bolivia", "", "Bolivian", "La Paz|Sucre"),
    ("Bosnia and Herzegovina", "Bosnia", "Bosnian", "Sarajevo"),
    ("Botswana", "", "Botswanan", "Gaborone"),
    ("Brazil", "", "Brazilian", "Brasília|Brasilia"),
    ("Brunei", "", "Bruneian", ""),
    ("Bulgaria", "", "Bulgarian", "Sofia"),
    ("Burkina Faso", "", "Burkinabe", "Ouagadougou"),
    ("Burundi", "", "Burundian", "Gitega|Bujumbura"),
    ("Cambodia", "", "Cambodian", "Phnom Penh"),
    ("Cameroon", "", "Cameroonian", "Yaoundé|Yaounde"),
    ("Canada", "", "Canadian", "Ottawa"),
    ("Cape Verde", "Cabo Verde", "Cape Verdean", "Praia"),
    ("Central African Republic", "CAR", "", "Bangui"),
    ("Chad", "", "Chadian", "N'Djamena"),
    ("Chile", "", "Chilean", "Santiago"),
    ("China", "PRC|People's Republic of China|Mainland China", "Chinese", "Beijing"),
    ("Colombia", "", "Colombian", "Bogotá|Bogota"),
    ("Comoros", "", "Comoran|Comorian", "Moroni"),
    ("Democratic Republic of the Congo", "DRC|DR Congo", "Congolese", "Kinshasa"),
    ("Republic of the Congo", "Congo", "", "Brazzaville"),
    ("Costa Rica", "", "Costa Rican", "San José"),
    ("Croatia", "", "Croatian", "Zagreb"),
    ("Cuba", "", "Cuban", "Havana"),
    ("Cyprus", "", "Cypriot", "Nicosia"),
    ("Czech Republic", "Czechia", "Czech", "Prague"),
    ("Denmark", "", "Danish", "Copenhagen"),
    ("Djibouti", "", "Djiboutian", ""),
    ("Dominica", "", "", "Roseau"),
    ("Dominican Republic", "", "Dominican", "Santo Domingo"),
    ("East Timor", "Timor-Leste", "Timorese", "Dili"),
    ("Ecuador", "", "Ecuadorian", "Quito"),
    ("Egypt", "", "Egyptian", "Cairo"),
    ("El Salvador", "", "Salvadoran", "San Salvador"),
    ("Equatorial Guinea", "", "", "Malabo"),
    ("Eritrea", "", "Eritrean", "Asmara"),
    ("Estonia", "", "Estonian", "Tallinn"),
    ("Eswatini", "Swaziland", "Swazi", "Mbabane"),
    ("Ethiopia", "", "Ethiopian", "Addis Ababa"),
    ("Fiji", "", "Fijian", "Suva"),
    ("Finland", "", "Finnish", "Helsinki"),
    ("France", "", "French", "Paris"),
    ("Gabon", "", "Gabonese", "Libreville"),
    ("Gambia", "The Gambia", "Gambian", "Banjul"),
    ("Georgia", "", "Georgian", "Tbilisi"),
    ("Germany", "", "German", "Berlin"),
    ("Ghana", "", "Ghanaian", "Accra"),
    ("Greece", "", "Greek", "Athens"),
    ("Grenada", "", "Grenadian", ""),
    ("Guatemala", "", "Guatemalan", "Guatemala City"),
    ("Guinea", "", "Guinean", "Conakry"),
    ("Guinea-Bissau", "", "", "Bissau"),
    ("Guyana", "", "Guyanese", "Georgetown"),
    ("Haiti", "", "Haitian", "Port-au-Prince"),
    ("Honduras", "", "Honduran", "Tegucigalpa"),
    ("Hungary", "", "Hungarian", "Budapest"),
    ("Iceland", "", "Icelandic", "Reykjavik|Reykjavík"),
    ("India", "", "Indian", "New Delhi|Delhi"),
    ("Indonesia", "", "Indonesian", "Jakarta"),
    ("Iran", "Islamic Republic of Iran", "Iranian", "Tehran"),
    ("Iraq", "", "Iraqi", "Baghdad"),
    ("Ireland", "Republic of Ireland", "Irish", "Dublin"),
    ("Israel", "", "Israeli", "Jerusalem"),
    ("Italy", "", "Italian", "Rome"),
    ("Ivory Coast", "Côte d'Ivoire|Cote d'Ivoire", "Ivorian", "Yamoussoukro|Abidjan"),
    ("Jamaica", "", "Jamaican", "Kingston"),
    ("Japan", "", "Japanese", "Tokyo"),
    ("Jordan", "", "Jordanian", "Amman"),
    ("Kazakhstan", "", "Kazakh", "Astana"),
    ("Kenya", "", "Kenyan", "Nairobi"),
    ("Kiribati", "", "", "Tarawa"),
    ("Kosovo", "", "Kosovar", "Pristina"),
    ("Kuwait", "", "Kuwaiti", "Kuwait City"),
    ("Kyrgyzstan", "", "Kyrgyz", "Bishkek"),
    ("Laos", "", "Laotian", "Vientiane"),
    ("Latvia", "", "Latvian", "Riga"),
    ("Lebanon", "", "Lebanese", "Beirut"),
    ("Lesotho", "", "", "Maseru"),
    ("Liberia", "", "Liberian", "Monrovia"),
    ("Libya", "", "Libyan", "Tripoli"),
    ("Liechtenstein", "", "", "Vaduz"),
    ("Lithuania", "", "Lithuanian", "Vilnius"),
    ("Luxembourg", "", "Luxembourgish", ""),
    ("Madagascar", "", "Malagasy", "Antananarivo"),
    ("Malawi", "", "Malawian", "Lilongwe"),
    ("Malaysia", "", "Malaysian", "Kuala Lumpur"),
    ("Maldives", "", "Maldivian", "Malé"),
    ("Mali", "", "Malian", "Bamako"),
    ("Malta", "", "Maltese", "Valletta"),
    ("Marshall Islands", "", "", "Majuro"),
    ("Mauritania", "", "Mauritanian", "Nouakchott"),
    ("Mauritius", "", "Mauritian", "Port Louis"),
    ("Mexico", "", "Mexican", "Mexico City"),
    ("Micronesia", "", "Micronesian", "Palikir"),
    ("Moldova", "", "Moldovan", "Chișinău|Chisinau"),
    ("Monaco", "", "Monegasque", ""),
    ("Mongolia", "", "Mongolian", "Ulaanbaatar"),
    ("Montenegro", "", "Montenegrin", "Podgorica"),
    ("Morocco", "", "Moroccan", "Rabat"),
    ("Mozambique", "", "Mozambican", "Maputo"),
    ("Myanmar", "Burma", "Burmese", "Naypyidaw|Yangon"),
    ("Namibia", "", "Namibian", "Windhoek"),
    ("Nauru", "", "", ""),
    ("Nepal", "", "Nepalese|Nepali", "Kathmandu"),
    ("Netherlands", "The Netherlands|Holland", "Dutch", "Amsterdam|The Hague"),
    ("New Zealand", "", "New Zealander", "Wellington"),
    ("Nicaragua", "", "Nicaraguan", "Managua"),
    ("Niger", "", "Nigerien", "Niamey"),
    ("Nigeria", "", "Nigerian", "Abuja"),
    ("North Korea", "DPRK|Democratic People's Republic of Korea", "North Korean", "Pyongyang"),
    ("North Macedonia", "Macedonia", "Macedonian", "Skopje"),
    ("Norway", "", "Norwegian", "Oslo"),
    ("Oman", "", "Omani", "Muscat"),
    ("Pakistan", "", "Pakistani", "Islamabad"),
    ("Palau", "", "", ""),
    ("Palestine", "Palestinian territories", "Palestinian", "Ramallah"),
    ("Panama", "", "Panamanian", "Panama City"),
    ("Papua New Guinea", "", "", "Port Moresby"),
    ("Paraguay", "", "Paraguayan", "Asunción|Asuncion"),
    ("Peru", "", "Peruvian", "Lima"),
    ("Philippines", "The Philippines", "Philippine|Filipino", "Manila"),
    ("Poland", "", "Polish", "Warsaw"),
    ("Portugal", "", "Portuguese", "Lisbon"),
    ("Qatar", "", "Qatari", "Doha"),
    ("Romania", "", "Romanian", "Bucharest"),
    ("Russia", "Russian Federation", "Russian", "Moscow"),
    ("Rwanda", "", "Rwandan", "Kigali"),
    ("Saint Lucia", "", "", "Castries"),
    ("Samoa", "", "Samoan", "Apia"),
    ("San Marino", "", "", ""),
    ("Saudi Arabia", "", "Saudi", "Riyadh"),
    ("Senegal", "", "Senegalese", "Dakar"),
    ("Serbia", "", "Serbian", "Belgrade"),
    ("Seychelles", "", "Seychellois", ""),
    ("Sierra Leone", "", "Sierra Leonean", "Freetown"),
    ("Singapore", "", "Singaporean", ""),
    ("Slovakia", "", "Slovak", "Bratislava"),
    ("Slovenia", "", "Slovenian", "Ljubljana"),
    ("Solomon Islands", "", "", "Honiara"),
    ("Somalia", "", "Somali", "Mogadishu"),
    ("South Africa", "", "South African", "Pretoria|Cape Town|Johannesburg"),
    ("South Korea", "Republic of Korea|ROK", "South Korean", "Seoul"),
    ("South Sudan", "", "South Sudanese", "Juba"),
    ("Spain", "", "Spanish", "Madrid"),
    ("Sri Lanka", "", "Sri Lankan", "Colombo"),
    ("Sudan", "", "Sudanese", "Khartoum"),
    ("Suriname", "", "Surinamese", "Paramaribo"),
    ("Sweden", "", "Swedish", "Stockholm"),
    ("Switzerland", "", "Swiss", "Bern|Geneva|Zurich"),
    ("Syria", "", "Syrian", "Damascus"),
    ("Taiwan", "", "Taiwanese", "Taipei"),
    ("Tajikistan", "", "Tajik", "Dushanbe"),
    ("Tanzania", "", "Tanzanian", "Dodoma|Dar es Salaam"),
    ("Thailand", "", "Thai", "Bangkok"),
    ("Togo", "", "Togolese", "Lomé|Lome"),
    ("Tonga", "", "Tongan", ""),
    ("Trinidad and Tobago", "", "", "Port of Spain"),
    ("Tunisia", "", "Tunisian", "Tunis"),
    ("Turkey", "Türkiye", "Turkish", "Ankara|Istanbul"),
    ("Turkmenistan", "", "Turkmen", "Ashgabat"),
    ("Tuvalu", "", "", ""),
    ("Uganda", "", "Ugandan", "Kampala"),
    ("Ukraine", "", "Ukrainian", "Kyiv|Kiev"),
    ("United Arab Emirates", "UAE|Emirates", "Emirati", "Abu Dhabi|Dubai"),
    (
        "United Kingdom",
        "UK|U.K.|Britain|Great Britain",
        "British",
        "London|Edinburgh|Cardiff|Belfast",
    ),
    (
        "United States",
        "U.S.|US|USA|U.S.A.|United States of America|America",
        "American",
        "Washington|Washington, D.C.",
    ),
    ("Uruguay", "", "Uruguayan", "Montevideo"),
    ("Uzbekistan", "", "Uzbek", "Tashkent"),
    ("Vanuatu", "", "", ""),
    ("Vatican City", "Vatican|Holy See", "", ""),
    ("Venezuela", "", "Venezuelan", "Caracas"),
    ("Vietnam", "Viet Nam", "Vietnamese", "Hanoi|Ho Chi Minh City"),
    ("Yemen", "", "Yemeni", "Sanaa|Sana'a|Aden"),
    ("Zambia", "", "Zambian", "Lusaka"),
    ("Zimbabwe", "", "Zimbabwean", "Harare"),
    ("England", "", "English", ""),
    ("Scotland", "", "Scottish", ""),
    ("Wales", "", "Welsh", ""),
    ("Northern Ireland", "", "", ""),
    ("Greenland", "", "Greenlandic", "Nuuk"),
    ("Puerto Rico", "", "Puerto Rican", "San Juan"),
    ("Hong Kong", "", "", ""),
    ("Macau", "Macao", "", ""),
    ("Gaza", "Gaza Strip", "Gazan", ""),
    ("West Bank", "", "", ""),
    ("Crimea", "", "Crimean", "Simferopol"),
    ("Tibet", "", "Tibetan", "Lhasa"),
    ("Xinjiang", "", "", "Urumqi|Ürümqi"),
    ("Kashmir", "", "Kashmiri", ""),
    ("Kurdistan", "", "", "Erbil"),
    ("Chechnya", "", "Chechen", "Grozny"),
    ("Donbas", "Donbass", "", ""),
];

/// Continents and world regions: canonical name, other names, adjectives.
#[rustfmt::skip]
const REGIONS: &[(&str, &str, &str)] = &[
    ("Africa", "", "African"),
    ("Asia", "", "Asian"),
    ("Europe", "", "European"),
    ("North America", "", "North American"),
    ("South America", "", "South American"),
    ("Latin America", "", "Latin American"),
    ("Central America", "", "Central American"),
    ("Oceania", "", ""),
    ("Antarctica", "", "Antarctic"),
    ("Arctic", "", ""),
    ("Middle East", "Mideast", "Middle Eastern"),
    ("Southeast Asia", "South East Asia|South-East Asia", "Southeast Asian"),
    ("East Asia", "", "East Asian"),
    ("South Asia", "", "South Asian"),
    ("Central Asia", "", "Central Asian"),
    ("Western Europe", "", ""),
    ("Eastern Europe", "", "Eastern European"),
    ("Scandinavia", "", "Scandinavian"),
    ("Balkans", "", "Balkan"),
    ("Caribbean", "", ""),
    ("Caucasus", "", ""),
    ("Sahel", "", ""),
    ("Horn of Africa", "", ""),
    ("North Africa", "", "North African"),
    ("West Africa", "", "West African"),
    ("East Africa", "", "East African"),
    ("Sub-Saharan Africa", "", ""),
    ("Persian Gulf", "Gulf", ""),
    ("Korean Peninsula", "", ""),
    ("Indo-Pacific", "", ""),
    ("Pacific", "Pacific Ocean", ""),
    ("Atlantic", "Atlantic Ocean", ""),
    ("Indian Ocean", "", ""),
    ("Mediterranean", "Mediterranean Sea", ""),
    ("Black Sea", "", ""),
    ("Red Sea", "", ""),
    ("South China Sea", "", ""),
    ("Baltic Sea", "", ""),
    ("Taiwan Strait", "", ""),
    ("Silicon Valley", "", ""),
    ("Wall Street", "", ""),
];

/// US states and other first-level regions often named alone.
#[rustfmt::skip]
const STATES: &[&str] = &[
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "Florida", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas",
    "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota",
    "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey",
    "New Mexico", "New York State", "North Carolina", "North Dakota", "Ohio", "Oklahoma",
    "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee",
    "Texas", "Utah", "Vermont", "Virginia", "Washington State", "West Virginia", "Wisconsin",
    "Wyoming", "Ontario", "Quebec", "British Columbia", "Alberta", "Bavaria", "Catalonia",
    "Lombardy", "Tuscany", "Sicily", "Sardinia", "Scotland", "Queensland", "New South Wales",
    "Victoria", "Punjab", "Kerala", "Gujarat", "Bengal", "Sindh", "Aceh", "Bali", "Java",
    "Sumatra", "Mindanao", "Siberia", "Kurdistan", "Darfur", "Donetsk", "Luhansk", "Kherson",
    "Zaporizhzhia", "Kharkiv", "Odesa", "Odessa", "Lviv", "Mariupol", "Bakhmut", "Avdiivka",
    "Hokkaido", "Okinawa", "Guangdong", "Hubei", "Sichuan", "Yunnan", "Hainan", "Fujian",
];

/// Major world cities (capitals are listed with their countries).
#[rustfmt::skip]
const CITIES: &[&str] = &[
    "New York", "New York City", "Los Angeles", "Chicago", "Houston", "Phoenix", "Philadelphia",
    "San Antonio", "San Diego", "Dallas", "San Francisco", "Seattle", "Boston", "Miami",
    "Atlanta", "Detroit", "Denver", "Las Vegas", "New Orleans", "Baltimore", "Austin",
    "Nashville", "Portland", "Minneapolis", "Pittsburgh", "Cleveland", "St. Louis", "Orlando",
    "Sacramento", "Honolulu", "Anchorage", "Hollywood", "Brooklyn", "Manhattan", "Queens",
    "Bronx", "Toronto", "Montreal", "Vancouver", "Calgary", "Rio de Janeiro", "São Paulo",
    "Sao Paulo", "Manchester", "Liverpool", "Birmingham", "Glasgow", "Oxford", "Cambridge",
    "Hamburg", "Munich", "Frankfurt", "Cologne", "Milan", "Naples", "Turin", "Florence",
    "Venice", "Genoa", "Bologna", "Palermo", "Barcelona", "Seville", "Valencia", "Marseille",
    "Lyon", "Nice", "Strasbourg", "Rotterdam", "Antwerp", "Porto", "Krakow", "Kraków", "Gdansk",
    "St. Petersburg", "Saint Petersburg", "Novosibirsk", "Yekaterinburg", "Kazan", "Sevastopol",
    "Belgorod", "Tel Aviv", "Haifa", "Gaza City", "Rafah", "Khan Younis", "Aleppo", "Homs",
    "Idlib", "Mosul", "Basra", "Fallujah", "Kandahar", "Herat", "Mecca", "Medina", "Jeddah",
    "Karachi", "Lahore", "Peshawar", "Mumbai", "Bombay", "Kolkata", "Chennai", "Bangalore",
    "Bengaluru", "Hyderabad", "Shanghai", "Guangzhou", "Shenzhen", "Wuhan", "Chengdu",
    "Chongqing", "Tianjin", "Nanjing", "Hangzhou", "Osaka", "Kyoto", "Yokohama", "Hiroshima",
    "Nagasaki", "Fukushima", "Busan", "Incheon", "Kaohsiung", "Ho Chi Minh City", "Saigon",
    "Surabaya", "Cebu", "Lagos", "Kano", "Mombasa", "Alexandria", "Casablanca", "Marrakesh",
    "Benghazi", "Goma", "Durban", "Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide",
    "Auckland", "Christchurch", "Guadalajara", "Monterrey", "Tijuana", "Medellín", "Medellin",
    "Cali", "Davos", "Kinshasa", "Cupertino", "Palo Alto", "Redmond", "Brussels",
];

/// Well-known organizations: canonical name, other names and acronyms.
#[rustfmt::skip]
const ORGS: &[(&str, &str)] = &[
    ("United Nations", "UN|U.N."),
    ("European Union", "EU|E.U."),
    ("European Commission", ""),
    ("European Parliament", ""),
    ("European Central Bank", "ECB"),
    ("Asian Development Bank", "ADB"),
    ("African Development Bank", ""),
    ("NATO", "North Atlantic Treaty Organization|Nato"),
    ("African Union", "AU"),
    ("Arab League", ""),
    ("ASEAN", "Association of Southeast Asian Nations"),
    ("World Health Organization", "WHO"),
    ("World Bank", ""),
    ("International Monetary Fund", "IMF"),
    ("World Trade Organization", "WTO"),
    ("UNESCO", ""),
    ("UNICEF", ""),
    ("UNHCR", "UN Refugee Agency"),
    ("International Atomic Energy Agency", "IAEA"),
    ("International Criminal Court", "ICC"),
    ("International Court of Justice", "ICJ"),
    ("Red Cross", "International Committee of the Red Cross|ICRC"),
    ("Amnesty International", "Amnesty"),
    ("Human Rights Watch", "HRW"),
    ("Doctors Without Borders", "MSF|Médecins Sans Frontières"),
    ("OPEC", ""),
    ("G7", "G-7"),
    ("G20", "G-20"),
    ("Federal Bureau of Investigation", "FBI"),
    ("Central Intelligence Agency", "CIA"),
    ("National Security Agency", "NSA"),
    ("Department of Homeland Security", "DHS"),
    ("Department of Justice", "DOJ|Justice Department"),
    ("Department of Defense", "DOD|DoD|Defense Department|Pentagon"),
    ("United States Department of State", "State Department"),
    ("United States Department of the Treasury", "Treasury|Treasury Department"),
    ("Federal Reserve", "Fed"),
    ("Securities and Exchange Commission", "SEC"),
    ("Federal Deposit Insurance Corporation", "FDIC"),
    ("Federal Aviation Administration", "FAA"),
    ("Food and Drug Administration", "FDA"),
    ("Centers for Disease Control and Prevention", "CDC"),
    ("Environmental Protection Agency", "EPA"),
    ("Internal Revenue Service", "IRS"),
    ("NASA", ""),
    ("White House", ""),
    ("Kremlin", ""),
    ("Congress", "U.S. Congress|US Congress"),
    ("Senate", ""),
    ("House of Representatives", ""),
    ("Democratic Party", "Democrats|Democrat"),
    ("Republican Party", "Republicans|Republican|GOP"),
    ("Labour Party", "Labour"),
    ("Conservative Party", "Conservatives|Tories|Tory"),
    ("Chinese Communist Party", "CCP|Communist Party of China"),
    ("Hamas", ""),
    ("Hezbollah", ""),
    ("Taliban", ""),
    ("Islamic State", "ISIS|ISIL"),
    ("al-Qaeda", "Al-Qaeda|al Qaeda|Al Qaeda"),
    ("Houthis", "Houthi"),
    ("Wagner Group", "Wagner"),
    ("Associated Press", "AP"),
    ("Reuters", ""),
    ("Agence France-Presse", "AFP"),
    ("Axios", ""),
    ("CNN", ""),
    ("BBC", ""),
    ("NBC News", "NBC"),
    ("CBS News", "CBS"),
    ("ABC News", ""),
    ("Fox News", ""),
    ("MSNBC", ""),
    ("NPR", ""),
    ("PBS", ""),
    ("Al Jazeera", ""),
    ("Bloomberg", ""),
    ("Politico", ""),
    ("The New York Times", "New York Times|NYT"),
    ("The Washington Post", "Washington Post"),
    ("The Wall Street Journal", "Wall Street Journal|WSJ"),
    ("Financial Times", "FT"),
    ("The Guardian", "Guardian"),
    ("The Economist", "Economist"),
    ("Newsweek", ""),
    ("Xinhua", ""),
    ("Yonhap", ""),
    ("Kyodo", ""),
    ("Interfax", ""),
    ("TASS", ""),
    ("Google", ""),
    ("Apple", ""),
    ("Microsoft", ""),
    ("Amazon", ""),
    ("Meta", ""),
    ("Facebook", ""),
    ("Instagram", ""),
    ("WhatsApp", ""),
    ("Twitter", ""),
    ("TikTok", ""),
    ("YouTube", ""),
    ("OpenAI", ""),
    ("Tesla", ""),
    ("SpaceX", ""),
    ("Nvidia", ""),
    ("Intel", ""),
    ("Samsung", ""),
    ("Huawei", ""),
    ("Alibaba", ""),
    ("Tencent", ""),
    ("Boeing", ""),
    ("Airbus", ""),
    ("Goldman Sachs", ""),
    ("JPMorgan Chase", "JPMorgan"),
    ("Pfizer", ""),
    ("Moderna", ""),
    ("Toyota", ""),
    ("Volkswagen", ""),
    ("Gazprom", ""),
    ("Catholic Church", ""),
    ("Vatican", ""),
];

/// Titles and roles that precede a person's name.
#[rustfmt::skip]
const TITLE_CORES: &[&str] = &[
    "president", "minister", "secretary", "leader", "lady", "prince", "princess", "general",
    "chancellor", "premier", "director", "chairman", "chairwoman", "chair", "chairperson",
    "governor", "mayor", "senator", "sen.", "rep.", "representative", "congressman",
    "congresswoman", "ambassador", "spokesman", "spokeswoman", "spokesperson", "commissioner",
    "judge", "justice", "king", "queen", "emperor", "pope", "cardinal", "bishop", "archbishop",
    "rabbi", "imam", "sheikh", "sultan", "emir", "colonel", "col.", "lieutenant", "lt.",
    "captain", "capt.", "sergeant", "sgt.", "major", "gen.", "admiral", "adm.", "commander",
    "marshal", "mr.", "mrs.", "ms.", "mr", "mrs", "ms", "miss", "dr.", "dr", "prof.",
    "professor", "sir", "dame", "lord", "rev.", "reverend", "gov.", "undersecretary",
    "under-secretary", "co-founder", "cofounder", "founder", "ceo", "coach", "detective",
    "inspector", "superintendent", "ayatollah", "president-elect", "vice-president", "dean",
    "speaker", "envoy", "secretary-general", "attorney", "officer", "chief", "executive",
    "mufti", "crown", "deputy", "whip", "editor", "correspondent", "reporter", "anchor", "host",
    "analyst", "economist", "historian", "academic", "lawyer", "activist", "spokesmen",
    "creator", "head",
];

/// Words that modify a title ("Vice President", "Foreign Minister").
#[rustfmt::skip]
const TITLE_MODIFIERS: &[&str] = &[
    "vice", "prime", "deputy", "acting", "former", "chief", "first", "majority", "minority",
    "supreme", "crown", "foreign", "defense", "defence", "finance", "treasury", "attorney",
    "executive", "senior", "assistant", "associate", "managing", "grand", "high", "interior",
    "health", "education", "trade", "economy", "justice", "home", "state", "press", "army",
    "police", "general", "lieutenant", "major", "cabinet", "opposition", "party", "house",
    "senate", "then", "ex", "co", "national", "security", "secretary", "commerce", "labor",
    "labour", "energy", "transport", "transportation", "agriculture", "environment", "culture",
    "science", "communications", "information", "intelligence", "military", "team", "union",
    "club", "former", "late", "outgoing", "incoming", "interim", "former",
];

/// Portfolios named after a title ("Secretary of State", "Minister of Education").
#[rustfmt::skip]
const PORTFOLIOS: &[&str] = &[
    "State", "Education", "Defense", "Defence", "Finance", "Health", "Foreign Affairs",
    "Interior", "Justice", "Labor", "Labour", "Agriculture", "Commerce", "Energy",
    "Transportation", "Transport", "Treasury", "the Treasury", "Home Affairs", "the Interior",
    "the Exchequer", "Culture", "Environment", "Trade", "Economy", "Homeland Security",
    "Veterans Affairs", "Housing", "Economic Affairs", "Foreign", "Information", "Tourism",
    "Industry", "Science", "Communications", "Public Security", "Internal Affairs",
    "National Defense", "Immigration", "Security", "Staff", "the Army", "the Navy",
    "the Air Force", "Intelligence", "Foreign Relations", "Social Affairs", "Welfare", "Sport",
    "Sports", "Women", "Youth", "Water", "Mines", "Petroleum", "Oil",
];

/// Heads that make a capitalised run an organization.
#[rustfmt::skip]
const ORG_HEADS: &[&str] = &[
    "department", "ministry", "agency", "council", "party", "inc.", "inc", "corp.", "corp",
    "corporation", "company", "co.", "ltd", "ltd.", "llc", "plc", "group", "university",
    "college", "institute", "academy", "school", "court", "army", "navy", "police", "bank",
    "committee", "commission", "news", "times", "post", "journal", "gazette", "tribune",
    "herald", "press", "telegraph", "daily", "network", "television", "tv", "radio",
    "broadcasting", "magazine", "association", "union", "federation", "league", "organization",
    "organisation", "foundation", "fund", "trust", "society", "church", "movement", "front",
    "authority", "board", "bureau", "office", "service", "services", "administration", "senate",
    "parliament", "congress", "assembly", "cabinet", "forces", "force", "guard", "guards",
    "corps", "brigade", "brigades", "battalion", "militia", "municipality", "center", "centre",
    "club", "alliance", "coalition", "secretariat", "directorate", "command", "airlines",
    "airways", "motors", "industries", "holdings", "technologies", "systems", "laboratories",
    "labs", "partners", "enterprises", "reserve", "international", "watch", "tribunal",
    "exchange", "programme", "mission", "legislature", "chamber", "observatory", "district",
    "conference", "fc", "united", "group", "institution", "house", "institutions", "media", "monitor",
    "review", "gazzetta", "inquirer", "chronicle", "observer", "mirror", "express", "standard",
    "sun", "today", "nations", "council", "taskforce", "hospital", "clinic", "church", "synod",
    "diocese", "airline", "railways", "pharmaceuticals", "energy", "oil", "petroleum",
    "electric", "telecom", "communications", "capital", "ventures", "studios", "records",
    "pictures", "entertainment", "foods", "networks", "lab", "shipping", "logistics", "maritime",
    "mining", "chemicals", "pharma", "biotech", "semiconductor", "semiconductors", "robotics",
    "panel", "compact", "partnership",
    "software", "securities", "insurance", "investments",
];

/// Heads that make a capitalised run a place or a named facility.
#[rustfmt::skip]
const PLACE_HEADS: &[&str] = &[
    "island", "islands", "isle", "mountains", "mount", "mt.", "river", "lake", "sea", "ocean",
    "gulf", "bay", "strait", "straits", "peninsula", "valley", "desert", "coast", "province",
    "county", "region", "street", "avenue", "road", "square", "palace", "mosque", "cathedral",
    "temple", "airport", "stadium", "arena", "prison", "jail", "museum", "park", "bridge",
    "tower", "towers", "building", "hall", "hotel", "station", "base", "camp", "port",
    "harbour", "harbor", "canal", "dam", "plaza", "hill", "hills", "heights", "falls", "beach",
    "forest", "glacier", "reef", "archipelago", "basin", "plateau", "strip", "cape", "city",
    "village", "town", "republic", "kingdom", "emirate", "oblast", "prefecture", "territory",
    "canyon", "volcano", "pass", "highway", "boulevard", "gardens", "zoo", "castle", "fort",
    "center", "mall", "market", "crossing", "checkpoint", "refinery", "plant", "mine",
];

/// Heads of events, laws and treaties: never entities.
#[rustfmt::skip]
const EVENT_HEADS: &[&str] = &[
    "act", "bill", "law", "treaty", "accord", "accords", "agreement", "convention", "protocol",
    "amendment", "resolution", "charter", "summit", "fair", "expo", "festival", "games",
    "olympics", "cup", "championship", "championships", "tournament", "award", "awards",
    "prize", "day", "week", "war", "revolution", "crisis", "election", "elections", "massacre",
    "bombing", "uprising", "spring", "marathon", "show", "series", "tour", "initiative", "plan",
    "doctrine", "declaration", "index", "olympiad", "conference", "talks", "dialogue", "forum",
    "rally", "strike", "offensive", "operation", "pandemic", "code", "constitution", "budget",
    "policy", "report", "prix", "open", "classic", "bowl", "derby", "grand", "scandal",
    "affair", "case", "trial", "hearing", "inquiry",
];

/// Words written with a final period that belongs to them ("Mr.",
/// "Corp.", "Jan."), compared without case.
#[rustfmt::skip]
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "rep", "sen", "gov", "gen", "lt", "col", "capt", "sgt", "st",
    "jr", "sr", "inc", "corp", "co", "ltd", "rev", "mt", "ft", "adm", "maj", "no", "vs", "messrs",
    "cmdr", "pres", "supt", "dept", "univ", "jan", "feb", "mar", "apr", "aug", "sep", "sept",
    "oct", "nov", "dec", "gens", "reps", "sens", "cpl", "pvt", "brig",
];

/// Capitalised words that never start or continue a name.
#[rustfmt::skip]
const STOP: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we",
    "i", "you", "his", "her", "their", "our", "my", "your", "him", "them", "in", "on", "at",
    "by", "for", "from", "with", "without", "of", "to", "into", "onto", "after", "before",
    "during", "since", "until", "despite", "although", "though", "while", "when", "where",
    "why", "what", "who", "whom", "whose", "which", "how", "if", "but", "and", "or", "nor",
    "so", "as", "because", "also", "however", "meanwhile", "yesterday", "today", "tonight",
    "tomorrow", "both", "all", "some", "many", "most", "several", "each", "every", "no", "not",
    "there", "here", "then", "now", "again", "already", "according", "under", "over", "more",
    "less", "only", "just", "even", "still", "yet", "other", "another", "such", "one", "two",
    "three", "four", "five", "six", "seven", "eight", "nine", "ten", "hundreds", "thousands",
    "millions", "dozens", "second", "third", "last", "next", "earlier", "later", "once",
    "instead", "moreover", "furthermore", "nevertheless", "nonetheless", "thus", "hence",
    "therefore", "indeed", "rather", "perhaps", "maybe", "please", "yes", "oh", "well",
    "around", "about", "above", "below", "between", "among", "against", "across", "along",
    "amid", "amidst", "through", "throughout", "toward", "towards", "upon", "within", "beyond",
    "near", "like", "unlike", "unless", "whether", "whatever", "whoever", "any", "few", "much",
    "same", "do", "does", "did", "is", "are", "was", "were", "be", "been", "has", "have", "had",
    "can", "could", "would", "should", "must", "might", "shall", "let", "ahead", "back",
    "overall", "separately", "currently", "recently", "finally", "additionally", "notably",
    "specifically", "otherwise", "similarly", "likewise", "ultimately", "initially",
    "previously", "eventually", "everyone", "nobody", "someone", "something", "nothing",
    "everything", "anyone", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "jan.", "feb.", "mar.", "apr.", "aug.",
    "sept.", "sep.", "oct.", "nov.", "dec.", "god", "allah", "hi", "hello", "thanks", "thank",
    "dear", "sure", "okay", "ok", "via", "per", "plus", "minus", "versus", "vs.", "ago",
    "whereas", "wherever", "whenever", "however", "anyway", "besides", "apart", "unlike",
    "almost", "nearly", "roughly", "approximately", "about", "just", "very", "too", "note",
    "update", "editor's", "photo", "source", "sources", "read", "watch", "see", "go", "zoom", "inside", "outside", "behind", "beside", "beneath", "following",
    "including", "regarding", "concerning", "excluding", "unlike", "amongst", "whilst",
    "why", "driving", "flashback", "context", "state of play",
];

/// Capitalised words that name no entity on their own: common nouns,
/// religions and peoples, legal words.
#[rustfmt::skip]
const GENERIC: &[&str] = &[
    "state", "states", "government", "governments", "court", "bill", "congressional", "website",
    "internet", "web", "division", "section", "article", "chapter", "part", "title",
    "amendment", "act", "coalition", "administration", "federal", "national", "international",
    "regional", "municipal", "provincial", "muslim", "muslims", "islam", "islamic", "islamist",
    "islamists", "islamophobia", "christian", "christians", "christianity", "catholic",
    "catholics", "protestant", "protestants", "jewish", "jew", "jews", "judaism", "hindu",
    "hindus", "hinduism", "buddhist", "buddhists", "buddhism", "sunni", "sunnis", "shia",
    "shiite", "shiites", "rohingya", "kurd", "kurds", "kurdish", "arab", "arabs", "arabic",
    "uyghur", "uyghurs", "uighur", "uighurs", "tamil", "tamils", "pashtun", "hutu", "tutsi",
    "hajj", "ramadan", "christmas", "easter", "eid", "lent", "passover", "diwali", "english",
    "latin", "spanish-speaking", "western", "westerners", "eastern", "northern", "southern",
    "north", "south", "east", "west", "representatives", "senators", "ministers", "officials",
    "presidents", "leaders", "members", "department", "ministry", "agency", "council", "party",
    "army", "navy", "police", "committee", "commission", "university", "school", "college",
    "church", "military", "forces", "parliament", "cabinet", "board", "office", "center",
    "centre", "union", "league", "assembly", "embassy", "consulate", "mission", "prime", "vice",
    "first", "former", "chief", "deputy", "acting", "senior", "junior", "premier", "capitol",
    "constitution", "republic", "kingdom", "empire", "province", "region", "city", "county",
    "district", "ok", "tv", "vip", "ceo", "cfo", "coo", "gdp", "covid", "covid-19", "ai", "pm",
    "am", "a.m.", "p.m.", "usd", "eur", "id", "it", "iv", "ii", "iii", "phd", "mp", "mps", "dj",
    "lgbt", "lgbtq", "suv", "ngo", "ngos", "un-", "pr", "q", "ps", "fyi", "op-ed", "breaking",
    "exclusive", "live", "video", "watch", "listen", "subscribe", "opinion", "analysis",
    "editorial", "newsletter", "podcast", "headquarters", "hq", "ministers", "democracy",
    "communist", "socialist", "liberal", "conservative", "progressive", "cold", "human", "rights", "world",
    "global", "new", "old", "great", "grand", "royal", "holy", "saint",
];

/// Lower-case role nouns that, right before a name, make it a person.
#[rustfmt::skip]
const ROLE_NOUNS: &[&str] = &[
    "president", "minister", "secretary", "spokesman", "spokeswoman", "spokesperson", "leader",
    "chairman", "chairwoman", "chair", "director", "editor", "reporter", "correspondent",
    "mayor", "governor", "senator", "representative", "ambassador", "general", "colonel",
    "lieutenant", "captain", "commander", "officer", "co-founder", "cofounder", "founder",
    "creator", "ceo", "chief", "head", "professor", "academic", "analyst", "lawyer", "attorney",
    "judge", "undersecretary", "deputy", "coordinator", "co-ordinator", "member", "student",
    "teacher", "scientist", "researcher", "author", "writer", "journalist", "photographer",
    "activist", "candidate", "prosecutor", "economist", "historian", "official", "negotiator",
    "envoy", "adviser", "advisor", "aide", "lawmaker", "legislator", "mp", "councillor",
    "councilor", "premier", "king", "queen", "prince", "princess", "sheikh", "cleric", "bishop",
    "priest", "pastor", "rabbi", "imam", "coach", "player", "striker", "goalkeeper", "manager",
    "owner", "billionaire", "businessman", "businesswoman", "entrepreneur", "investor",
    "founder", "chancellor", "dictator", "strongman", "rebel", "warlord", "singer", "actor",
    "actress", "rapper", "artist", "director", "producer", "novelist", "poet", "comedian",
    "host", "anchor", "commentator", "columnist", "blogger", "broadcaster", "presenter", "boss",
    "executive", "counsel", "major", "sergeant", "private", "soldier", "pilot", "doctor",
    "nurse", "surgeon", "physician", "father", "mother", "son", "daughter", "brother", "sister",
    "wife", "husband", "widow", "uncle", "aunt", "cousin", "nephew", "niece", "grandson",
    "granddaughter", "boy", "girl", "man", "woman", "resident", "farmer", "worker", "hostage",
    "victim", "survivor", "witness", "suspect", "defendant", "plaintiff", "undersecretary",
    "mathematician", "physicist", "chemist", "engineer", "designer", "architect", "spokesmen",
    "vice-chairman", "president-elect", "whip", "speaker", "secretary-general", "counterpart",
    "predecessor", "successor", "rival", "challenger", "incumbent", "nominee", "pick",
    "appointee", "chef", "inventor",
];

/// Lower-case nouns right before or after a name that make it an organization.
#[rustfmt::skip]
const ORG_CUES: &[&str] = &[
    "newspaper", "magazine", "periodical", "daily", "weekly", "tabloid", "journal", "agency",
    "broadcaster", "channel", "network", "website", "outlet", "publication", "company", "firm",
    "corporation", "conglomerate", "startup", "bank", "lender", "insurer", "airline", "carrier",
    "automaker", "retailer", "group", "party", "organization", "organisation", "charity", "ngo",
    "militia", "band", "team", "club", "union", "association", "federation", "coalition",
    "movement", "think-tank", "watchdog", "regulator", "ministry", "television", "radio",
    "station", "paper",
];

/// Lower-case words before a name that make it a place ("village of X").
#[rustfmt::skip]
const PLACE_CUES: &[&str] = &[
    "village", "town", "city", "island", "islands", "province", "region", "state", "county",
    "district", "capital", "port", "municipality", "country", "nation", "neighborhood",
    "neighbourhood", "suburb", "area", "valley", "river", "lake", "border", "enclave",
    "territory", "prefecture", "oblast", "commune", "hamlet", "settlement", "camp", "township",
    "governorate", "emirate", "kingdom", "republic", "mountain",
];

/// Prepositions after which an unknown single name is most likely a place.
const PLACE_PREPOSITIONS: &[&str] = &["in", "near", "from", "across", "outside", "inside"];

/// Smart Brevity labels and the words they are made of.
#[rustfmt::skip]
const LABEL_WORDS: &[&str] = &[
    "why it matters", "driving the news", "zoom in", "zoom out", "the big picture",
    "the other side", "between the lines", "yes, but", "what's next", "by the numbers",
    "state of play", "what they're saying", "the bottom line", "go deeper", "flashback",
    "context", "details", "what to watch", "reality check", "the latest", "catch up quick",
    "behind the scenes", "be smart", "the intrigue", "our thought bubble", "go deeper",
];

/// Name particles that join capitalised words of one name ("Ludwig van Beethoven").
const PARTICLES: &[&str] = &[
    "de", "del", "della", "dei", "di", "da", "do", "dos", "das", "du", "des", "la", "le", "van",
    "von", "der", "den", "ter", "ten", "bin", "ibn", "bint", "al", "el", "y", "e", "zu", "af",
    "ben", "abu", "ul", "ud", "es",
];

/// Hyphen prefixes that glue to a name ("al-Amr", "bin-Salman").
const HYPHEN_PARTICLES: &[&str] = &[
    "al", "el", "bin", "ibn", "abu", "ben", "ould", "bint", "ul", "ad", "as", "ash", "at", "az",
    "an", "ar",
];

fn split_list(s: &'static str) -> impl Iterator<Item = &'static str> {
    s.split('|').filter(|x| !x.is_empty())
}

/// Adds the people plural of an adjective demonym ("Kenyan" → "Kenyans").
fn people_plural(adjective: &str) -> Option<String> {
    let last = adjective.chars().last()?;
    if matches!(last, 'n' | 'i') && !adjective.contains(' ') {
        Some(format!("{adjective}s"))
    } else {
        None
    }
}

struct Tables {
    names: HashMap<String, Known>,
    max_words: usize,
    /// Bytes that some name starts with, and the longest name: most words
    /// asked about (lower-case ones) are turned away without hashing.
    first_bytes: [bool; 256],
    max_len: usize,
    /// The leading alphanumeric run of every name that goes on after it
    /// ("United" for "United Nations", "U" for "U.S."), so that a longer
    /// span is looked up only after a word that can start one.
    heads: HashSet<String>,
    /// Last word of each multi-word name → its canonical names, for typo repair.
    by_last_word: HashMap<String, Vec<&'static str>>,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let mut names: HashMap<String, Known> = HashMap::default();
    let mut add = |surface: &str, canonical: &'static str, kind: EntityKind, form: Form| {
        names.entry(surface.to_string()).or_insert(Known { canonical, kind, form });
        // "The Hague" is "Hague" after a lower-case "the" or one that
        // starts the sentence (and so is no part of a name). Places only:
        // an organization's "The" is part of its name.
        if let Some(rest) = surface.strip_prefix("The ").filter(|_| kind == EntityKind::Place) {
            names.entry(rest.to_string()).or_insert(Known { canonical, kind, form });
        }
    };
    let place = EntityKind::Place;
    let org = EntityKind::Organization;
    for &(canonical, aliases, adjectives, capitals) in COUNTRIES {
        add(canonical, canonical, place, Form::Name);
        for a in split_list(aliases) {
            add(a, canonical, place, Form::Name);
        }
        for a in split_list(adjectives) {
            add(a, canonical, place, Form::Adjective);
            if let Some(p) = people_plural(a) {
                add(&p, canonical, place, Form::People);
            }
        }
        for c in split_list(capitals) {
            add(c, c, place, Form::Name);
        }
    }
    for &(canonical, aliases, adjectives) in REGIONS {
        add(canonical, canonical, place, Form::Name);
        for a in split_list(aliases) {
            add(a, canonical, place, Form::Name);
        }
        // "African troops", "European security": a continent's adjective
        // stands for it only where the article names it too.
        for a in split_list(adjectives) {
            add(a, canonical, place, Form::People);
        }
    }
    for &s in STATES.iter().chain(CITIES) {
        add(s, s, place, Form::Name);
    }
    for &(canonical, aliases) in ORGS {
        add(canonical, canonical, org, Form::Name);
        for a in split_list(aliases) {
            add(a, canonical, org, Form::Name);
        }
    }
    // Irregular people plurals and forms that the rules above miss.
    for (surface, canonical) in [
        ("Americans", "United States"),
        ("Filipinos", "Philippines"),
        ("Britons", "United Kingdom"),
        ("Brits", "United Kingdom"),
        ("Israelis", "Israel"),
        ("Saudis", "Saudi Arabia"),
        ("Afghans", "Afghanistan"),
        ("Poles", "Poland"),
        ("Swedes", "Sweden"),
        ("Danes", "Denmark"),
        ("Finns", "Finland"),
        ("Turks", "Turkey"),
        ("Greeks", "Greece"),
        ("Czechs", "Czech Republic"),
        ("Thais", "Thailand"),
        ("Somalis", "Somalia"),
        ("Germans", "Germany"),
        ("Europeans", "Europe"),
        ("Africans", "Africa"),
        ("Asians", "Asia"),
    ] {
        if let Some(k) = names.get(canonical).copied() {
            names.entry(surface.to_string()).or_insert(Known { form: Form::People, ..k });
        }
    }
    let max_words = names.keys().map(|k| k.split(' ').count()).max().unwrap_or(1);
    let mut by_last_word: HashMap<String, Vec<&'static str>> = HashMap::default();
    for k in names.values() {
        if k.form == Form::Name
            && k.canonical.contains(' ')
            && let Some(last) = k.canonical.rsplit(' ').next()
        {
            let v = by_last_word.entry(last.to_lowercase()).or_default();
            if !v.contains(&k.canonical) {
                v.push(k.canonical);
            }
        }
    }
    let mut first_bytes = [false; 256];
    for b in names.keys().filter_map(|k| k.bytes().next()) {
        if let Some(slot) = first_bytes.get_mut(usize::from(b)) {
            *slot = true;
        }
    }
    let max_len = names.keys().map(String::len).max().unwrap_or(0);
    let heads = names
        .keys()
        .filter_map(|k| {
            let run = leading_run(k);
            (run.len() < k.len()).then(|| k.get(..run.len()).unwrap_or_default())
        })
        .map(str::to_string)
        .collect();
    Tables { names, max_words, first_bytes, max_len, heads, by_last_word }
});

/// The alphanumeric characters `word` starts with.
fn leading_run(word: &str) -> &str {
    let end = word.find(|c: char| !c.is_alphanumeric()).unwrap_or(word.len());
    word.get(..end).unwrap_or(word)
}

fn set(words: &'static [&'static str]) -> HashSet<&'static str> {
    words.iter().copied().collect()
}

static PORTFOLIO_SET: LazyLock<HashSet<&str>> = LazyLock::new(|| set(PORTFOLIOS));
static PARTICLE_SET: LazyLock<HashSet<&str>> = LazyLock::new(|| set(PARTICLES));

/// A set of the word classes below (compared on the lower-cased word), so
/// that one lookup answers every question asked about a word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Classes(u16);

impl Classes {
    pub(crate) const TITLE_CORE: Classes = Classes(1);
    pub(crate) const TITLE_MODIFIER: Classes = Classes(1 << 1);
    pub(crate) const ORG_HEAD: Classes = Classes(1 << 2);
    pub(crate) const PLACE_HEAD: Classes = Classes(1 << 3);
    pub(crate) const EVENT_HEAD: Classes = Classes(1 << 4);
    pub(crate) const STOP: Classes = Classes(1 << 5);
    pub(crate) const GENERIC: Classes = Classes(1 << 6);
    pub(crate) const ROLE_NOUN: Classes = Classes(1 << 7);
    pub(crate) const ORG_CUE: Classes = Classes(1 << 8);
    pub(crate) const PLACE_CUE: Classes = Classes(1 << 9);
    pub(crate) const HYPHEN_PARTICLE: Classes = Classes(1 << 10);
    pub(crate) const ABBREVIATION: Classes = Classes(1 << 11);

    /// Whether it shares a class with `other`.
    pub(crate) fn has(self, other: Classes) -> bool {
        self.0 & other.0 != 0
    }
}

impl std::ops::BitOr for Classes {
    type Output = Classes;

    fn bitor(self, other: Classes) -> Classes {
        Classes(self.0 | other.0)
    }
}

/// Every listed word (as bytes, so that a word lowered into a buffer needs
/// no UTF-8 check) and its classes.
static CLASSES: LazyLock<HashMap<&'static [u8], Classes>> = LazyLock::new(|| {
    let mut map: HashMap<&'static [u8], Classes> = HashMap::default();
    for (class, words) in [
        (Classes::TITLE_CORE, TITLE_CORES),
        (Classes::TITLE_MODIFIER, TITLE_MODIFIERS),
        (Classes::ORG_HEAD, ORG_HEADS),
        (Classes::PLACE_HEAD, PLACE_HEADS),
        (Classes::EVENT_HEAD, EVENT_HEADS),
        (Classes::STOP, STOP),
        (Classes::GENERIC, GENERIC),
        (Classes::ROLE_NOUN, ROLE_NOUNS),
        (Classes::ORG_CUE, ORG_CUES),
        (Classes::PLACE_CUE, PLACE_CUES),
        (Classes::HYPHEN_PARTICLE, HYPHEN_PARTICLES),
        (Classes::ABBREVIATION, ABBREVIATIONS),
    ] {
        for word in words {
            map.entry(word.as_bytes()).or_default().0 |= class.0;
        }
    }
    map
});

/// Looks a surface form up: a place or a well-known organization.
pub(crate) fn lookup(surface: &str) -> Option<Known> {
    let tables = &*TABLES;
    let starts = surface.bytes().next().and_then(|b| tables.first_bytes.get(usize::from(b)));
    if surface.len() > tables.max_len || starts != Some(&true) {
        return None;
    }
    tables.names.get(surface).copied()
}

/// Whether some name longer than `word`'s leading alphanumeric run starts
/// with that run: else no span of several words from `word` on is a name.
pub(crate) fn may_start_longer(word: &str) -> bool {
    TABLES.heads.contains(leading_run(word))
}

/// The most words any gazetteer name has.
pub(crate) fn max_words() -> usize {
    TABLES.max_words
}

/// A gazetteer name that `surface` misspells by one edit ("Untied Nations"),
/// looked up by its last word so that the cost stays constant per name.
pub(crate) fn near_miss(surface: &str) -> Option<Known> {
    let last = surface.rsplit(' ').next()?.to_lowercase();
    let candidates = TABLES.by_last_word.get(&last)?;
    if surface.chars().count() < 8 {
        return None;
    }
    candidates.iter().find(|c| edit_distance_at_most_one(c, surface)).and_then(|c| lookup(c))
}

/// Whether two strings differ by at most one insertion, deletion,
/// substitution or swap of adjacent characters.
pub(crate) fn edit_distance_at_most_one(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a == b {
        return true;
    }
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (a.get(prefix..).unwrap_or(&[]), b.get(prefix..).unwrap_or(&[]));
    if la == lb {
        // Substitution, or a swap of two adjacent characters.
        if ra.get(1..) == rb.get(1..) {
            return true;
        }
        return ra.len() >= 2
            && ra.first() == rb.get(1)
            && ra.get(1) == rb.first()
            && ra.get(2..) == rb.get(2..);
    }
    if la > lb { ra.get(1..) == Some(rb) } else { rb.get(1..) == Some(ra) }
}

/// The classes `word` is in, lower-cased. These checks run on nearly every
/// word of every article, so a short ASCII word is lowered on the stack
/// rather than into a new `String`.
pub(crate) fn classes(word: &str) -> Classes {
    let map = &*CLASSES;
    let mut buf = [0u8; 32];
    let found = match buf.get_mut(..word.len()) {
        _ if word.bytes().all(|b| b.is_ascii_lowercase()) => map.get(word.as_bytes()),
        Some(lower) if word.is_ascii() => {
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            map.get(&*lower)
        }
        _ => map.get(word.to_lowercase().as_bytes()),
    };
    found.copied().unwrap_or_default()
}

/// A portfolio after "Secretary of", "Minister for" ("State", "Foreign Affairs").
pub(crate) fn is_portfolio(words: &str) -> bool {
    PORTFOLIO_SET.contains(words)
}

/// The most words a portfolio has.
pub(crate) const MAX_PORTFOLIO_WORDS: usize = 2;

/// "Corp.", "Inc", "plc": the legal form after a company's name, which
/// news text gives once and then drops.
pub(crate) fn is_legal_form(word: &str) -> bool {
    const FORMS: &[&str] =
        &["corp", "inc", "co", "ltd", "plc", "llc", "llp", "gmbh", "ag", "s.a", "n.v", "b.v"];
    let word = word.strip_suffix('.').unwrap_or(word);
    FORMS.iter().any(|f| f.eq_ignore_ascii_case(word))
}

/// A word that ends (or, before "of", starts) an organization's name.
pub(crate) fn is_org_head(word: &str) -> bool {
    classes(word).has(Classes::ORG_HEAD)
}

/// A word that ends (or, before "of", starts) a place's name.
pub(crate) fn is_place_head(word: &str) -> bool {
    classes(word).has(Classes::PLACE_HEAD)
}

/// A word that ends the name of an event, law or treaty.
pub(crate) fn is_event_head(word: &str) -> bool {
    classes(word).has(Classes::EVENT_HEAD)
}

/// A common word that is capitalised only because it starts a sentence.
pub(crate) fn is_stop(word: &str) -> bool {
    classes(word).has(Classes::STOP)
}

/// Offices held in an organization, which name it before them: "Gazprom
/// chief executive", "Eastgate Rail president" (an adviser or an aide may
/// be a person's).
pub(crate) fn is_org_office(word: &str) -> bool {
    ORG_OFFICES.contains(&word)
}

#[rustfmt::skip]
const ORG_OFFICES: &[&str] = &[
    "president", "chairman", "chairwoman", "chair", "chief", "ceo", "executive", "director",
    "head", "analyst", "economist", "official", "founder", "co-founder", "boss", "manager",
    "researcher", "scientist", "secretary-general", "officer", "counsel", "partner",
];

/// Words inside an office's name: "chief financial officer", "senior vice
/// president".
pub(crate) fn is_office_modifier(word: &str) -> bool {
    ["senior", "vice", "deputy", "financial", "operating", "managing", "general", "technology"]
        .contains(&word)
}

/// Stop words that are also names: the Chinese family name He, the Turkish
/// given name Can, the Vietnamese family name Do.
pub(crate) fn is_name_stop(word: &str) -> bool {
    ["he", "can", "do"].iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// An office held in a town or a state: "the mayor of Izmir", "the
/// governor of Lagos".
pub(crate) fn is_place_office(word: &str) -> bool {
    ["mayor", "governor"].contains(&word)
}

/// A lower-case noun that makes the neighbouring name an organization.
pub(crate) fn is_org_cue(word: &str) -> bool {
    classes(word).has(Classes::ORG_CUE)
}

/// A lower-case noun that makes the following name a place.
pub(crate) fn is_place_cue(word: &str) -> bool {
    classes(word).has(Classes::PLACE_CUE)
}

/// A preposition after which an unknown name is likely a place.
pub(crate) fn is_place_preposition(word: &str) -> bool {
    PLACE_PREPOSITIONS.contains(&word)
}

/// A lower-case name particle ("de", "van", "bin").
pub(crate) fn is_particle(word: &str) -> bool {
    PARTICLE_SET.contains(word)
}

/// A prefix that glues to a name with a hyphen ("al-").
pub(crate) fn is_hyphen_particle(word: &str) -> bool {
    classes(word).has(Classes::HYPHEN_PARTICLE)
}

/// A Smart Brevity label ("Why it matters"), compared without case.
pub(crate) fn is_label(text: &str) -> bool {
    LABEL_WORDS.contains(&text.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_forms_name_their_country() {
        for (surface, canonical) in [
            ("U.S.", "United States"),
            ("US", "United States"),
            ("America", "United States"),
            ("UK", "United Kingdom"),
            ("Britain", "United Kingdom"),
            ("DPRK", "North Korea"),
        ] {
            assert_eq!(lookup(surface).map(|k| k.canonical), Some(canonical), "{surface}");
        }
    }

    #[test]
    fn demonyms_stand_for_their_place() {
        for (surface, canonical) in [
            ("Chinese", "China"),
            ("Russian", "Russia"),
            ("North Korean", "North Korea"),
            ("Kenyan", "Kenya"),
        ] {
            let k = lookup(surface).unwrap();
            assert_eq!((k.canonical, k.form), (canonical, Form::Adjective), "{surface}");
        }
        assert_eq!(lookup("Kenyans").map(|k| (k.canonical, k.form)), Some(("Kenya", Form::People)));
        assert_eq!(
            lookup("European").map(|k| (k.canonical, k.form)),
            Some(("Europe", Form::People))
        );
    }

    #[test]
    fn capitals_and_states_are_places() {
        for s in ["Beijing", "Moscow", "Texas", "Nairobi", "New York"] {
            assert_eq!(lookup(s).map(|k| k.kind), Some(EntityKind::Place), "{s}");
        }
    }

    #[test]
    fn acronyms_have_canonical_names() {
        assert_eq!(lookup("AP").map(|k| k.canonical), Some("Associated Press"));
        assert_eq!(lookup("UN").map(|k| k.canonical), Some("United Nations"));
        assert_eq!(lookup("CNN").map(|k| k.kind), Some(EntityKind::Organization));
    }

    #[test]
    fn no_name_is_a_plain_lower_case_word() {
        // Entity detection passes such words by without looking them up.
        for name in TABLES.names.keys() {
            let lower = name.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
            assert!(!lower || !name.chars().all(char::is_alphanumeric), "{name}");
        }
    }

    #[test]
    fn one_typo_finds_the_gazetteer_name() {
        assert_eq!(near_miss("Untied Natoins").map(|k| k.canonical), None);
        assert_eq!(near_miss("Unitd Nations").map(|k| k.canonical), Some("United Nations"));
        assert!(edit_distance_at_most_one("Bakar", "Bacar"));
        assert!(edit_distance_at_most_one("Sabz", "Sabs"));
        assert!(!edit_distance_at_most_one("Blinken", "Biden"));
    }
}
