//! Clause-phenomenon tests on hand-annotated sentences (invented events).

use outpost_core::{DatePrecision as P, Event, Status};

use crate::Coder;
use crate::testutil::{A, doc};

fn coder() -> Coder {
    Coder::builtin().unwrap()
}

fn find<'a>(evs: &'a [Event], plover: &str) -> &'a Event {
    evs.iter()
        .find(|e| e.plover == plover)
        .unwrap_or_else(|| panic!("no {plover} event in {evs:#?}"))
}

fn tgt(e: &Event) -> Option<&str> {
    e.target.as_ref().map(|t| t.code.as_str())
}

#[test]
fn active_voice_subject_is_source_object_is_target() {
    let d = doc(
        "2024-03-05",
        "Ethiopian troops attacked Sudanese militiamen near Gallabat on Monday.",
        &[
            A("Ethiopian troops", "ETHMIL"),
            A("Sudanese militiamen", "SDNPRM"),
        ],
        &[("Gallabat", "city")],
        &[("on Monday", "2024-03-04", P::Day)],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "ASSAULT");
    assert_eq!(e.source.code, "ETHMIL");
    assert_eq!(tgt(e), Some("SDNPRM"));
    assert_eq!(e.status, Status::Occurred);
    assert_eq!(e.cameo, "190");
    assert_eq!(e.goldstein, -10.0);
    assert_eq!(e.quad_class, 4);
    assert_eq!(
        e.location.as_ref().map(|l| l.name.as_str()),
        Some("Gallabat")
    );
    assert_eq!(e.date.map(|d| d.to_string()).as_deref(), Some("2024-03-04"));
}

#[test]
fn passive_voice_swaps_source_and_target() {
    let d = doc(
        "2024-03-05",
        "A Nigerian army convoy was attacked by Boko Haram fighters in Borno state.",
        &[
            A("Nigerian army", "NGAMIL"),
            A("Boko Haram fighters", "NGAREB"),
        ],
        &[("Borno", "region")],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "ASSAULT");
    assert_eq!(e.source.code, "NGAREB");
    assert_eq!(tgt(e), Some("NGAMIL"));
    assert_eq!(e.location.as_ref().map(|l| l.name.as_str()), Some("Borno"));
}

#[test]
fn agentless_passive_keeps_victim_as_target() {
    let d = doc(
        "2024-03-05",
        "Three Malian soldiers were killed near Gao.",
        &[A("Malian soldiers", "MLIMIL")],
        &[("Gao", "city")],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "ASSAULT");
    // no named agent: CAMEO's unidentified armed force of the place's country
    assert_eq!(e.source.code, "MLIUAF");
    assert!(e.source.text.is_empty());
    assert_eq!(tgt(e), Some("MLIMIL"));
    assert!(e.confidence < 0.6);
}

#[test]
fn reported_speech_reporter_is_not_an_actor() {
    let d = doc(
        "2024-03-05",
        "Iraqi police arrested five suspects in Mosul, the Xinhua news agency reported.",
        &[
            A("Iraqi police", "IRQCOP"),
            A("Xinhua news agency", "CHNMED"),
        ],
        &[("Mosul", "city")],
        &[],
    );
    let evs = coder().code(&d);
    assert_eq!(evs.len(), 1, "{evs:#?}");
    let e = &evs[0];
    assert_eq!(e.plover, "COERCE");
    assert_eq!(e.mode.as_deref(), Some("arrest"));
    assert_eq!(e.source.code, "IRQCOP");
    assert!(e.target.is_none());
    assert_eq!(
        e.acled.as_ref().map(|a| a.sub_event_type.as_str()),
        Some("Arrests")
    );

    // "according to" and "quoted … as saying" frames
    let d = doc(
        "2024-03-05",
        "Turkish jets bombed Kurdish positions, according to the Anadolu agency. \
         Interfax quoted the Kazakh ministry as saying that Kazakh troops had withdrawn from the area.",
        &[
            A("Turkish jets", "TURMIL"),
            A("Kurdish positions", "IRQREB"),
            A("Anadolu agency", "TURMED"),
            A("Interfax", "RUSMED"),
            A("Kazakh ministry", "KAZGOV"),
            A("Kazakh troops", "KAZMIL"),
        ],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let a = find(&evs, "ASSAULT");
    assert_eq!(a.source.code, "TURMIL");
    assert_eq!(tgt(a), Some("IRQREB"));
    let r = find(&evs, "RETREAT");
    assert_eq!(r.source.code, "KAZMIL");
    assert!(evs.iter().all(|e| !e.source.code.ends_with("MED")));
}

#[test]
fn quoted_event_uses_speaker_for_pronoun_subject() {
    let d = doc(
        "2024-03-05",
        "\u{201c}We will send humanitarian aid to Tonga,\u{201d} the Japanese government said.",
        &[A("Tonga", "TON"), A("Japanese government", "JPNGOV")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "AGREE");
    assert_eq!(e.source.code, "JPNGOV");
    assert_eq!(tgt(e), Some("TON"));
    assert_eq!(e.cameo, "0333");
    assert_eq!(e.status, Status::Planned);
}

#[test]
fn coordination_lists_all_parties() {
    let d = doc(
        "2024-03-05",
        "Egypt, Sudan and Ethiopia, all members of the African Union, will hold talks in Khartoum next month.",
        &[
            A("Egypt", "EGY"),
            A("Sudan", "SDN"),
            A("Ethiopia", "ETH"),
            A("African Union", "IGOAFU"),
        ],
        &[("Khartoum", "city")],
        &[("next month", "2024-04-01", P::Month)],
    );
    let evs = coder().code(&d);
    assert_eq!(evs.len(), 1, "{evs:#?}");
    let e = &evs[0];
    // future talks are coded AGREE (intent to meet)
    assert_eq!(e.plover, "AGREE");
    assert_eq!(e.cameo, "036");
    assert_eq!(e.status, Status::Planned);
    assert_eq!(e.source.code, "EGY");
    let parties: Vec<&str> = e.parties.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(parties, ["EGY", "SDN", "ETH"]);
    assert_eq!(e.date.map(|d| d.to_string()).as_deref(), Some("2024-04"));
    assert_eq!(e.date_precision, Some(P::Month));
    assert_eq!(
        e.location.as_ref().map(|l| l.name.as_str()),
        Some("Khartoum")
    );
}

#[test]
fn counterpart_pair_is_reciprocal_consult() {
    let d = doc(
        "2024-03-05",
        "Indian Foreign Minister Arjun Mehta and his Chinese counterpart Li Wen met in Moscow on Thursday.",
        &[
            A("Indian Foreign Minister Arjun Mehta", "INDGOV"),
            A("Chinese counterpart Li Wen", "CHNGOV"),
        ],
        &[("Moscow", "city")],
        &[("on Thursday", "2024-02-29", P::Day)],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "CONSULT");
    assert_eq!(e.source.code, "INDGOV");
    assert_eq!(tgt(e), Some("CHNGOV"));
    assert_eq!(e.parties.len(), 2);
    assert_eq!(e.status, Status::Occurred);
}

#[test]
fn negation_marks_denied() {
    let d = doc(
        "2024-03-05",
        "Belarusian police did not arrest the opposition activists. \
         Azerbaijan denied that its troops shelled Armenian villages.",
        &[
            A("Belarusian police", "BLRCOP"),
            A("opposition activists", "BLROPP"),
            A("Azerbaijan", "AZE"),
            A("troops", "AZEMIL"),
            A("Armenian villages", "ARMCVL"),
        ],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let c = find(&evs, "COERCE");
    assert_eq!(c.status, Status::Denied);
    assert_eq!(c.source.code, "BLRCOP");
    let a = find(&evs, "ASSAULT");
    assert_eq!(a.status, Status::Denied);
}

#[test]
fn modality_marks_planned_and_future_aid_becomes_agree() {
    let d = doc(
        "2024-03-05",
        "Germany plans to deliver air defence systems to Ukraine. \
         Poland pledged to help Lithuania build a new border fence.",
        &[
            A("Germany", "DEU"),
            A("Ukraine", "UKR"),
            A("Poland", "POL"),
            A("Lithuania", "LTU"),
        ],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let g = evs.iter().find(|e| e.source.code == "DEU").unwrap();
    assert_eq!(g.plover, "AGREE");
    assert_eq!(g.status, Status::Planned);
    assert_eq!(tgt(g), Some("UKR"));
    let p = evs.iter().find(|e| e.source.code == "POL").unwrap();
    assert_eq!(p.plover, "AGREE");
    assert_eq!(p.cameo, "0332"); // "border" is a military topic word
    assert_eq!(tgt(p), Some("LTU"));
    // the promised building is the pledge's content, not a second event
    assert_eq!(evs.iter().filter(|e| e.source.code == "POL").count(), 1);
}

#[test]
fn relative_clause_subject_is_the_antecedent() {
    let d = doc(
        "2024-03-05",
        "Nigerien soldiers repelled jihadist fighters who had seized two villages near Diffa.",
        &[
            A("Nigerien soldiers", "NERMIL"),
            A("jihadist fighters", "NERREB"),
        ],
        &[("Diffa", "city")],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "COERCE");
    assert_eq!(e.cameo, "192");
    assert_eq!(e.source.code, "NERREB");
    assert_eq!(
        e.acled.as_ref().map(|a| a.sub_event_type.as_str()),
        Some("Non-state actor overtakes territory")
    );
}

#[test]
fn hypothetical_and_claimed_statuses() {
    let d = doc(
        "2024-03-05",
        "Serbia could impose sanctions on Kosovo. \
         Georgian police allegedly beat detainees in Tbilisi.",
        &[
            A("Serbia", "SRB"),
            A("Kosovo", "KOS"),
            A("Georgian police", "GEOCOP"),
            A("detainees", "GEOCVL"),
        ],
        &[("Tbilisi", "city")],
        &[],
    );
    let evs = coder().code(&d);
    let s = find(&evs, "SANCTION");
    assert_eq!(s.status, Status::Hypothetical);
    assert_eq!(s.source.code, "SRB");
    assert_eq!(tgt(s), Some("KOS"));
    assert_eq!(s.quad_class, 4);
    let a = find(&evs, "ASSAULT");
    assert_eq!(a.status, Status::Claimed);
    assert_eq!(
        a.acled.as_ref().map(|x| x.event_type.as_str()),
        Some("Violence against civilians")
    );
}

#[test]
fn conditional_clause_is_hypothetical() {
    let d = doc(
        "2024-03-05",
        "If talks fail, Venezuela would deploy troops to the border.",
        &[A("Venezuela", "VEN")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "MOBILIZE");
    assert_eq!(e.status, Status::Hypothetical);
}

#[test]
fn date_is_the_clause_date_else_the_article_date() {
    let d = doc(
        "2024-03-05",
        "Chadian troops clashed with rebels on Sunday as Cameroon closed its border. \
         Sudanese police later detained two journalists.",
        &[
            A("Chadian troops", "TCDMIL"),
            A("rebels", "TCDREB"),
            A("Cameroon", "CMR"),
            A("Sudanese police", "SDNCOP"),
            A("journalists", "SDNJRN"),
        ],
        &[],
        &[("on Sunday", "2024-03-03", P::Day)],
    );
    let evs = coder().code(&d);
    let clash = find(&evs, "ASSAULT");
    assert_eq!(
        clash.date.map(|d| d.to_string()).as_deref(),
        Some("2024-03-03")
    );
    // "as Cameroon closed its border" is another clause: no date of its own
    let closed = find(&evs, "COERCE");
    assert_eq!(closed.source.code, "CMR");
    assert_eq!(
        closed.date.map(|d| d.to_string()).as_deref(),
        Some("2024-03-05")
    );
    let det = evs.iter().find(|e| e.source.code == "SDNCOP").unwrap();
    assert_eq!(det.date_precision, Some(P::Day));
    assert_eq!(
        det.date.map(|d| d.to_string()).as_deref(),
        Some("2024-03-05")
    );
}

#[test]
fn location_is_tied_to_the_action_not_the_first_place() {
    let d = doc(
        "2024-03-05",
        "Somalia, which borders Kenya, said al-Shabaab fighters attacked a base in Baidoa. \
         Kenyan police arrested a suspect.",
        &[
            A("Somalia", "SOM"),
            A("Kenya", "KEN"),
            A("al-Shabaab fighters", "SOMREB"),
            A("Kenyan police", "KENCOP"),
        ],
        &[
            ("Somalia", "country"),
            ("Kenya", "country"),
            ("Baidoa", "city"),
        ],
        &[],
    );
    let evs = coder().code(&d);
    let a = find(&evs, "ASSAULT");
    assert_eq!(a.source.code, "SOMREB");
    assert_eq!(a.location.as_ref().map(|l| l.name.as_str()), Some("Baidoa"));
    // no place tied to the arrest, no dateline: no location
    let c = find(&evs, "COERCE");
    assert!(c.location.is_none(), "{c:#?}");
}

#[test]
fn dateline_is_the_fallback_location() {
    let mut d = doc(
        "2024-03-05",
        "KABUL - Afghan police arrested three men.",
        &[A("Afghan police", "AFGCOP")],
        &[("KABUL", "city")],
        &[],
    );
    d.dateline = d.sentences[0].places.first().cloned();
    d.sentences[0].places.clear();
    let evs = coder().code(&d);
    let c = find(&evs, "COERCE");
    assert_eq!(c.location.as_ref().map(|l| l.name.as_str()), Some("KABUL"));
}

#[test]
fn anaphoric_phone_call_refines_the_earlier_consultation() {
    let d = doc(
        "2024-03-05",
        "Kenyan President Amani Otieno and his Tanzanian counterpart Neema Joseph discussed trade on Friday. \
         The two leaders agreed to meet again, the presidency said after the phone call.",
        &[
            A("Kenyan President Amani Otieno", "KENGOV"),
            A("Tanzanian counterpart Neema Joseph", "TZAGOV"),
            A("presidency", "KENGOV"),
        ],
        &[],
        &[("on Friday", "2024-03-01", P::Day)],
    );
    let evs = coder().code(&d);
    let consults: Vec<&Event> = evs.iter().filter(|e| e.plover == "CONSULT").collect();
    assert_eq!(consults.len(), 1, "{evs:#?}");
    assert_eq!(consults[0].mode.as_deref(), Some("phone"));
    assert_eq!(consults[0].cameo, "041");
    assert_eq!(consults[0].source.code, "KENGOV");
    assert_eq!(tgt(consults[0]), Some("TZAGOV"));
}

#[test]
fn evidence_offsets_are_characters_and_ids_stable() {
    let text = "Zürich café — Bolivian police detained a Peruvian smuggler.";
    let d = doc(
        "2024-03-05",
        text,
        &[
            A("Bolivian police", "BOLCOP"),
            A("Peruvian smuggler", "PERCRM"),
        ],
        &[],
        &[],
    );
    let c = coder();
    let evs = c.code(&d);
    let e = find(&evs, "COERCE");
    let chars: Vec<char> = text.chars().collect();
    let trig: String = chars[e.evidence.start..e.evidence.end].iter().collect();
    assert_eq!(trig, "detained");
    assert_eq!(e.evidence.trigger, "detained");
    let sent: String = chars[e.evidence.sentence_start..e.evidence.sentence_end]
        .iter()
        .collect();
    assert_eq!(sent, d.sentences[0].text);
    assert_eq!(e.id.len(), 16);
    assert_eq!(c.code(&d)[0].id, evs[0].id);
}

#[test]
fn user_dictionary_adds_and_removes_patterns() {
    let dir = std::env::temp_dir().join(format!("outpost-code-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("verbs.tsv");
    std::fs::write(
        &good,
        "# user additions\nskirmish+\t193\tASSAULT\tfirearms\tBattles: Armed clash\trecip\narrest+\tnone\t-\n",
    )
    .unwrap();
    let c = coder().with_user_dict(&good).unwrap();
    let d = doc(
        "2024-03-05",
        "Kyrgyz border guards skirmished with Tajik troops. Kyrgyz police arrested a smuggler.",
        &[
            A("Kyrgyz border guards", "KGZMIL"),
            A("Tajik troops", "TJKMIL"),
            A("Kyrgyz police", "KGZCOP"),
        ],
        &[],
        &[],
    );
    let evs = c.code(&d);
    let e = find(&evs, "ASSAULT");
    assert_eq!(e.cameo, "193");
    assert_eq!(tgt(e), Some("TJKMIL"));
    assert!(
        evs.iter().all(|e| e.plover != "COERCE"),
        "arrest+ was removed"
    );

    let bad = dir.join("bad.tsv");
    std::fs::write(&bad, "skirmish+\t193\tASSAULT\n\nraid+\t9x9\tASSAULT\n").unwrap();
    match coder().with_user_dict(&bad) {
        Err(crate::CodeError::Parse { line, file, .. }) => {
            assert_eq!(line, 3);
            assert!(file.ends_with("bad.tsv"));
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
    assert!(matches!(
        coder().with_user_dict(&dir.join("missing.tsv")),
        Err(crate::CodeError::Io { .. })
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cameo_lookup_exposes_table() {
    let c = coder();
    let x = c.cameo("0874").unwrap();
    assert_eq!(x.plover, "RETREAT");
    assert_eq!(x.goldstein, 10.0);
    assert!(c.cameo("9999").is_none());
}

#[test]
fn negation_does_not_cross_coordination() {
    let d = doc(
        "2024-03-05",
        "The militia denied shelling the town and accused Malian soldiers of looting.",
        &[A("militia", "MLIPRM"), A("Malian soldiers", "MLIMIL")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let a = find(&evs, "ACCUSE");
    assert_eq!(a.status, Status::Occurred);
    assert_eq!(a.source.code, "MLIPRM");
    assert_eq!(tgt(a), Some("MLIMIL"));
}

#[test]
fn participle_with_by_is_passive_and_false_friends_are_ignored() {
    let d = doc(
        "2024-03-05",
        "Talks hosted by Qatar ended on Monday. \
         Qatari officials said in a statement released by the foreign ministry that the talks would resume.",
        &[
            A("Qatar", "QAT"),
            A("Qatari officials", "QATGOV"),
            A("foreign ministry", "QATGOV"),
        ],
        &[],
        &[("on Monday", "2024-03-04", P::Day)],
    );
    let evs = coder().code(&d);
    let host = evs.iter().find(|e| e.cameo == "043").unwrap();
    assert_eq!(host.source.code, "QAT");
    assert!(evs.iter().all(|e| e.plover != "RETREAT"), "{evs:#?}");
}

#[test]
fn mobilized_own_forces_are_not_the_target() {
    let d = doc(
        "2024-03-05",
        "Serbia placed its army on high alert.",
        &[A("Serbia", "SRB"), A("army", "SRBMIL")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let m = find(&evs, "MOBILIZE");
    assert_eq!(m.source.code, "SRB");
    assert!(m.target.is_none());
    assert_eq!(m.cameo, "152");
}

#[test]
fn promised_coercion_is_a_threat() {
    let d = doc(
        "2024-03-05",
        "Belarus threatened to ban Lithuanian trucks. Latvian police will arrest the organisers.",
        &[
            A("Belarus", "BLR"),
            A("Lithuanian trucks", "LTUBUS"),
            A("Latvian police", "LVACOP"),
        ],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let t: Vec<&Event> = evs.iter().filter(|e| e.plover == "THREATEN").collect();
    assert_eq!(t.len(), 2, "{evs:#?}");
    assert_eq!(t[0].source.code, "BLR");
    assert_eq!(t[0].cameo, "132");
    assert_eq!(t[0].status, Status::Planned);
    assert_eq!(t[1].source.code, "LVACOP");
    assert_eq!(t[1].mode.as_deref(), Some("arrest"));
    assert!(evs.iter().all(|e| e.plover != "COERCE"));
}

#[test]
fn refused_cooperation_is_reject_and_topic_nouns_are_not_events() {
    let d = doc(
        "2024-03-05",
        "Nepalese officials refused to meet the Indian delegation. \
         Kenya condemned the airstrike on the camp. \
         Germany said Hungary must release the activists.",
        &[
            A("Nepalese officials", "NPLGOV"),
            A("Indian delegation", "INDGOV"),
            A("Kenya", "KEN"),
            A("Germany", "DEU"),
            A("Hungary", "HUN"),
            A("activists", "HUNCVL"),
        ],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let r = find(&evs, "REJECT");
    assert_eq!(r.cameo, "125");
    assert_eq!(r.source.code, "NPLGOV");
    assert_eq!(tgt(r), Some("INDGOV"));
    assert_eq!(r.status, Status::Occurred);
    assert!(evs.iter().all(|e| e.plover != "CONSULT"));
    let a = find(&evs, "ACCUSE");
    assert_eq!(a.source.code, "KEN");
    assert!(evs.iter().all(|e| e.plover != "ASSAULT"), "{evs:#?}");
    let q = find(&evs, "REQUEST");
    assert_eq!(q.source.code, "DEU");
    assert_eq!(tgt(q), Some("HUN"));
    assert!(evs.iter().all(|e| e.plover != "RETREAT"));
}

#[test]
fn odd_input_does_not_panic() {
    let texts = [
        "Attacked.",
        "— ; “ ” ( )",
        "Killed by by by.",
        "Troops, who, which, that, as, if.",
        "Égypte’s army shelled Gaza — “we will not stop”, said the ministry (Reuters) -",
    ];
    for t in texts {
        let mut d = doc(
            "2024-03-05",
            t,
            &[
                A("army", "EGYMIL"),
                A("Troops", "---MIL"),
                A("Reuters", "GBRMED"),
            ],
            &[("Gaza", "city")],
            &[],
        );
        // a mention outside every token must be tolerated
        if let Some(s) = d.sentences.first_mut() {
            let mut bad = s
                .actors
                .first()
                .cloned()
                .unwrap_or(outpost_core::ActorMention {
                    start: 0,
                    end: 0,
                    text: String::new(),
                    code: "XXX".into(),
                    country: None,
                    sector: None,
                    name: None,
                    kind: outpost_core::ActorKind::Role,
                });
            bad.start = t.len() + 10;
            bad.end = t.len() + 20;
            s.actors.push(bad);
        }
        let _ = coder().code(&d);
    }
    let empty = doc("2024-03-05", "", &[], &[], &[]);
    assert!(coder().code(&empty).is_empty());
}

fn acled_sub(e: &Event) -> Option<&str> {
    e.acled.as_ref().map(|a| a.sub_event_type.as_str())
}

#[test]
fn author_of_a_rejected_message_is_the_target() {
    let d = doc(
        "2024-03-05",
        "Moldova rejected a fresh proposal from Romania on Monday.",
        &[A("Moldova", "MDA"), A("Romania", "ROU")],
        &[],
        &[],
    );
    let e = find(&coder().code(&d), "REJECT").clone();
    assert_eq!(e.source.code, "MDA");
    assert_eq!(tgt(&e), Some("ROU"));
    // a place after "from" is still no target of an ordinary action
    let d = doc(
        "2024-03-05",
        "Moldova expelled two diplomats from Romania on Monday.",
        &[
            A("Moldova", "MDA"),
            A("diplomats", "---GOV"),
            A("Romania", "ROU"),
        ],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    assert!(evs.iter().all(|e| tgt(e) != Some("ROU")), "{evs:#?}");
}

#[test]
fn own_forces_are_the_theme_and_the_destination_is_the_target() {
    let d = doc(
        "2024-03-05",
        "Chad offered its troops to Niger on Monday.",
        &[A("Chad", "TCD"), A("troops", "TCDMIL"), A("Niger", "NER")],
        &[],
        &[],
    );
    let e = find(&coder().code(&d), "AGREE").clone();
    assert_eq!(e.source.code, "TCD");
    assert_eq!(tgt(&e), Some("NER"));
}

#[test]
fn disaster_named_in_another_sentence_of_the_paragraph_is_no_attack() {
    let d = doc(
        "2024-03-05",
        "Fire crews were called to a chemical warehouse in Tema. The explosion killed two workers.",
        &[A("workers", "GHACVL")],
        &[("Tema", "city")],
        &[],
    );
    let evs = coder().code(&d);
    assert!(
        evs.iter()
            .all(|e| e.plover != "ASSAULT" && e.acled.is_none()),
        "{evs:#?}"
    );
}

#[test]
fn crime_named_in_the_paragraph_removes_the_political_violence_type() {
    let d = doc(
        "2024-03-05",
        "Robbers raided a jewellery shop in Accra overnight. Gunmen shot a guard during the raid.",
        &[A("Gunmen", "GHAUAF"), A("guard", "GHACVL")],
        &[("Accra", "city")],
        &[],
    );
    let evs = coder().code(&d);
    assert!(evs.iter().all(|e| e.acled.is_none()), "{evs:#?}");
}

#[test]
fn taking_territory_needs_a_place() {
    let d = doc(
        "2024-03-05",
        "Syrian rebels captured dramatic footage of the battle.",
        &[A("Syrian rebels", "SYRREB")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    assert!(
        evs.iter()
            .all(|e| !acled_sub(e).is_some_and(|s| s.contains("territory"))),
        "{evs:#?}"
    );
    let d = doc(
        "2024-03-05",
        "Syrian rebels captured the town of Tadef.",
        &[A("Syrian rebels", "SYRREB")],
        &[("Tadef", "city")],
        &[],
    );
    let e = find(&coder().code(&d), "COERCE").clone();
    assert_eq!(acled_sub(&e), Some("Non-state actor overtakes territory"));
}

#[test]
fn seized_handguns_are_disrupted_weapons_use() {
    let d = doc(
        "2024-03-05",
        "Nigerian police seized nine pistols and 300 rounds in Kano.",
        &[A("Nigerian police", "NGACOP")],
        &[("Kano", "city")],
        &[],
    );
    let e = find(&coder().code(&d), "COERCE").clone();
    assert_eq!(acled_sub(&e), Some("Disrupted weapons use"));
}

#[test]
fn a_protest_grievance_is_not_what_happened_at_the_protest() {
    let d = doc(
        "2024-03-05",
        "Kenyan students protested in Nairobi over the killing of a classmate.",
        &[A("Kenyan students", "KENEDU")],
        &[("Nairobi", "city")],
        &[],
    );
    let e = find(&coder().code(&d), "PROTEST").clone();
    assert_eq!(acled_sub(&e), Some("Peaceful protest"));
    let d = doc(
        "2024-03-05",
        "Kenyan students protested in Nairobi and police killed two of them.",
        &[A("Kenyan students", "KENEDU"), A("police", "KENCOP")],
        &[("Nairobi", "city")],
        &[],
    );
    let e = find(&coder().code(&d), "PROTEST").clone();
    assert_eq!(acled_sub(&e), Some("Excessive force against protesters"));
}

#[test]
fn a_reporting_police_force_is_no_side_of_a_clash() {
    let d = doc(
        "2024-03-05",
        "Gunmen attacked a college campus in Garoua, police said.",
        &[A("Gunmen", "CMRUAF"), A("police", "CMRCOP")],
        &[("Garoua", "city")],
        &[],
    );
    let e = find(&coder().code(&d), "ASSAULT").clone();
    assert_eq!(acled_sub(&e), Some("Attack"));
}

#[test]
fn surrenders_and_prisoner_exchanges_are_acled_agreements() {
    let d = doc(
        "2024-03-05",
        "Forty Malian rebels surrendered to the army in Gao.",
        &[A("Malian rebels", "MLIREB"), A("army", "MLIMIL")],
        &[("Gao", "city")],
        &[],
    );
    let e = find(&coder().code(&d), "RETREAT").clone();
    assert_eq!(acled_sub(&e), Some("Agreement"));
}

#[test]
fn halting_mediation_is_a_sanction() {
    let d = doc(
        "2024-03-05",
        "Qatar ended its mediation between Sudan and Chad.",
        &[A("Qatar", "QAT"), A("Sudan", "SDN"), A("Chad", "TCD")],
        &[],
        &[],
    );
    let e = find(&coder().code(&d), "SANCTION").clone();
    assert_eq!(e.cameo, "165");
}

#[test]
fn a_protest_targets_what_it_opposes_or_demands() {
    let d = doc(
        "2024-03-05",
        "Ghanaian nurses began a strike to protest against Togo's new levy.",
        &[A("Ghanaian nurses", "GHAHLH"), A("Togo", "TGO")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "PROTEST");
    assert_eq!(tgt(e), Some("TGO"));
}

#[test]
fn unowned_forces_after_a_possessive_are_the_theme() {
    let d = doc(
        "2024-03-05",
        "Benin will withdraw its peacekeeping force from Mali unless the talks resume.",
        &[
            A("Benin", "BEN"),
            A("peacekeeping force", "---PKO"),
            A("Mali", "MLI"),
        ],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    assert!(evs.iter().any(|e| tgt(e) == Some("MLI")), "{evs:#?}");
}

#[test]
fn a_chemical_agent_named_in_the_paragraph_makes_a_chemical_attack() {
    let d = doc(
        "2024-03-05",
        "Rebels fired shells into two districts of Idlib. Residents said the shells contained chlorine.",
        &[A("Rebels", "SYRREB")],
        &[("Idlib", "city")],
        &[],
    );
    let e = find(&coder().code(&d), "ASSAULT").clone();
    assert_eq!(acled_sub(&e), Some("Chemical weapon"));
}

#[test]
fn ground_taken_without_resistance_is_a_non_violent_transfer() {
    let d = doc(
        "2024-03-05",
        "Somali militants took control of the town of Buur after the army pulled out. \
         They met no resistance.",
        &[A("Somali militants", "SOMREB"), A("army", "SOMMIL")],
        &[("Buur", "city")],
        &[],
    );
    let e = find(&coder().code(&d), "COERCE").clone();
    assert_eq!(acled_sub(&e), Some("Non-violent transfer of territory"));
}

#[test]
fn a_new_armed_unit_is_a_change_to_group_activity() {
    let d = doc(
        "2024-03-05",
        "The Kenyan army formed a new drone unit in Garissa.",
        &[A("Kenyan army", "KENMIL")],
        &[("Garissa", "city")],
        &[],
    );
    let e = find(&coder().code(&d), "MOBILIZE").clone();
    assert_eq!(acled_sub(&e), Some("Change to group/activity"));
}

#[test]
fn protesters_clashing_with_police_is_a_violent_demonstration() {
    let d = doc(
        "2024-03-05",
        "Clashes broke out in Lima between police and protesters demanding new elections.",
        &[A("police", "PERCOP"), A("protesters", "PERCVL")],
        &[("Lima", "city")],
        &[],
    );
    let evs = coder().code(&d);
    assert!(
        evs.iter()
            .any(|e| acled_sub(e) == Some("Violent demonstration")),
        "{evs:#?}"
    );
}

#[test]
fn a_verb_between_an_oblique_place_and_an_event_noun_is_no_modifier() {
    // "in Kenya" is where the students are, not who held the rallies
    let d = doc(
        "2024-03-05",
        "Students in Kenya held demonstrations on Monday.",
        &[A("Students", "KENEDU"), A("Kenya", "KEN")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "PROTEST");
    assert_eq!(e.source.code, "KENEDU");
    assert!(evs.iter().all(|e| e.plover != "ACCUSE"), "{evs:#?}");
    // a modifier word between actor and noun still counts
    let d = doc(
        "2024-03-05",
        "Russian military airstrikes hit the town on Monday.",
        &[A("Russian military", "RUSMIL")],
        &[],
        &[],
    );
    assert_eq!(find(&coder().code(&d), "ASSAULT").source.code, "RUSMIL");
}

#[test]
fn an_international_body_or_rights_group_that_protested_makes_a_statement() {
    let d = doc(
        "2024-03-05",
        "Amnesty International protested on Tuesday against the detention of reporters.",
        &[
            A("Amnesty International", "NGOAMN"),
            A("reporters", "---MED"),
        ],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "ACCUSE");
    assert_eq!(e.cameo, "111");
    assert!(evs.iter().all(|e| e.plover != "PROTEST"), "{evs:#?}");
    // an organisation named before a protest noun is its topic, not a statement
    let d = doc(
        "2024-03-05",
        "IMF protests in pictures.",
        &[A("IMF", "IGOIMF")],
        &[],
        &[],
    );
    assert!(coder().code(&d).iter().all(|e| e.plover != "ACCUSE"));
}

#[test]
fn a_where_clause_is_not_the_object_of_the_main_verb() {
    let d = doc(
        "2024-03-05",
        "Kenya lifted the curfew in Mombasa where six residents died in riots last week.",
        &[A("Kenya", "KEN"), A("residents", "KENCVL")],
        &[("Mombasa", "city")],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "CONCEDE");
    assert_ne!(tgt(e), Some("KENCVL"), "{evs:#?}");
}

#[test]
fn a_complaint_targets_whom_it_is_about_not_its_addressee() {
    let d = doc(
        "2024-03-05",
        "Ghana complained to the African Union on Monday about Togolese troops.",
        &[
            A("Ghana", "GHA"),
            A("African Union", "IGOAFU"),
            A("Togolese troops", "TGOMIL"),
        ],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "ACCUSE");
    assert_eq!(e.source.code, "GHA");
    assert_eq!(tgt(e), Some("TGOMIL"));
}

#[test]
fn outside_of_is_locative() {
    let d = doc(
        "2024-03-05",
        "Three Kenyan soldiers were killed by a roadside bomb outside of the Somali city of Kismayo.",
        &[A("Kenyan soldiers", "KENMIL"), A("Somali", "SOM")],
        &[("Kismayo", "city")],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "ASSAULT");
    assert_eq!(tgt(e), Some("KENMIL"), "{evs:#?}");
}

#[test]
fn a_refusal_made_conditional_with_unless_is_a_threat() {
    let d = doc(
        "2024-03-05",
        "Kenya's main opposition party will boycott the elections unless the president resigns.",
        &[
            A("Kenya's main opposition party", "KENOPP"),
            A("president", "KENGOV"),
        ],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "THREATEN");
    assert_eq!(e.source.code, "KENOPP");
    assert_eq!(e.status, Status::Planned);
    // without the condition it stays a planned refusal
    let d = doc(
        "2024-03-05",
        "Kenya's main opposition party will boycott the elections.",
        &[A("Kenya's main opposition party", "KENOPP")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    assert!(evs.iter().all(|e| e.plover != "THREATEN"), "{evs:#?}");
}

#[test]
fn cancelling_a_visit_is_a_refusal_to_meet() {
    let d = doc(
        "2024-03-05",
        "A Kenyan minister cancelled a planned visit to Uganda.",
        &[A("Kenyan minister", "KENGOV"), A("Uganda", "UGA")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "REJECT");
    assert_eq!(e.cameo, "125");
    assert!(evs.iter().all(|e| e.plover != "CONSULT"), "{evs:#?}");
}

#[test]
fn ethnic_cleansing_is_cameo_203() {
    let d = doc(
        "2024-03-05",
        "Sudanese militias carried out ethnic cleansing against Masalit villagers.",
        &[
            A("Sudanese militias", "SDNPRM"),
            A("Masalit villagers", "SDNCVL"),
        ],
        &[],
        &[],
    );
    let e = find(&coder().code(&d), "ASSAULT").clone();
    assert_eq!(e.cameo, "203");
    assert_eq!(e.source.code, "SDNPRM");
}

#[test]
fn a_person_after_of_and_a_title_adjective_is_no_subject() {
    // "supporters of former President X": the supporters act, not the former president
    let d = doc(
        "2024-03-05",
        "Hundreds of supporters of former President Ana Ruiz blocked roads in Lima.",
        &[A("supporters", "PERCVL"), A("President Ana Ruiz", "PERGOV")],
        &[("Lima", "city")],
        &[],
    );
    let evs = coder().code(&d);
    assert_eq!(find(&evs, "PROTEST").source.code, "PERCVL", "{evs:#?}");
}

#[test]
fn once_again_does_not_open_a_clause() {
    // "once" opens a clause ("once the talks end"), "once again" is an adverb
    let d = doc(
        "2024-03-05",
        "Chile has once again rejected a Peruvian proposal for a trade pact.",
        &[A("Chile", "CHL"), A("Peruvian", "PER")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "REJECT");
    assert_eq!(e.source.code, "CHL");
    assert_eq!(tgt(e), Some("PER"));
}

#[test]
fn a_passive_without_agent_keeps_its_subject_as_target() {
    let d = doc(
        "2024-03-05",
        "The Kenyan minister has been accused of corruption.",
        &[A("Kenyan minister", "KENGOV")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "ACCUSE");
    assert_eq!(e.source.code, "---");
    assert_eq!(tgt(e), Some("KENGOV"));
    // an actor inside the passive subject is not what was done to
    let d = doc(
        "2024-03-05",
        "Demands for a new Kenyan prime minister were met.",
        &[A("Kenyan prime minister", "KENGOV")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    assert!(evs.iter().all(|e| e.plover != "CONSULT"), "{evs:#?}");
}

#[test]
fn destroying_property_is_coercion_but_not_in_a_disaster() {
    let d = doc(
        "2024-03-05",
        "Kenyan soldiers demolished homes in the village.",
        &[A("Kenyan soldiers", "KENMIL")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "COERCE");
    assert_eq!(e.cameo, "1712");
    assert_eq!(
        e.acled.as_ref().map(|a| a.sub_event_type.as_str()),
        Some("Looting/property destruction")
    );
    let d = doc(
        "2024-03-05",
        "Floods destroyed hundreds of homes in Kenya.",
        &[A("Kenya", "KEN")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    assert!(evs.is_empty(), "{evs:#?}");
}

#[test]
fn a_conditional_offer_is_agree_and_a_conditional_sanction_a_threat() {
    let d = doc(
        "2024-03-05",
        "The rebels said they would meet the Kenyan envoy if he came alone.",
        &[A("rebels", "KENREB"), A("Kenyan envoy", "KENGOV")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "AGREE");
    assert_eq!(e.status, Status::Planned);
    assert_eq!(e.source.code, "KENREB");
    assert!(evs.iter().all(|e| e.plover != "CONSULT"), "{evs:#?}");
    let d = doc(
        "2024-03-05",
        "Kenya may suspend its aid to Somalia if the fighting continues, the minister said.",
        &[
            A("Kenya", "KEN"),
            A("Somalia", "SOM"),
            A("minister", "KENGOV"),
        ],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "THREATEN");
    assert_eq!(e.source.code, "KEN");
    assert!(evs.iter().all(|e| e.plover != "SANCTION"), "{evs:#?}");
    // without a condition a modal stays a mere possibility
    let d = doc(
        "2024-03-05",
        "Kenya may suspend its aid to Somalia.",
        &[A("Kenya", "KEN"), A("Somalia", "SOM")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    assert_eq!(find(&evs, "SANCTION").status, Status::Hypothetical);
}

#[test]
fn an_announced_sanction_and_a_decided_concession_are_taken() {
    let d = doc(
        "2024-03-05",
        "Kenya announced it would cut all aid to Somalia.",
        &[A("Kenya", "KEN"), A("Somalia", "SOM")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    assert_eq!(find(&evs, "SANCTION").source.code, "KEN");
    // said it will: a promise, coded as a threat
    let d = doc(
        "2024-03-05",
        "Kenya said it will cut all aid to Somalia.",
        &[A("Kenya", "KEN"), A("Somalia", "SOM")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    find(&evs, "THREATEN");
    // a withdrawal still has to be carried out: announced, it is a threat
    let d = doc(
        "2024-03-05",
        "The UN announced that it will withdraw its inspectors from Somalia.",
        &[A("UN", "IGOUNO"), A("Somalia", "SOM")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    assert!(evs.iter().all(|e| e.plover != "SANCTION"), "{evs:#?}");
    let d = doc(
        "2024-03-05",
        "The Kenyan court decided to allow the opposition leader to run in the election.",
        &[
            A("Kenyan court", "KENJUD"),
            A("opposition leader", "KENOPP"),
        ],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "CONCEDE");
    assert_eq!(e.status, Status::Occurred);
    assert_eq!(tgt(e), Some("KENOPP"));
}

#[test]
fn armed_men_blocking_roads_obstruct_without_an_acled_protest() {
    let d = doc(
        "2024-03-05",
        "Malian rebels blocked the roads into Bamako on Tuesday.",
        &[A("Malian rebels", "MLIREB")],
        &[("Bamako", "city")],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "PROTEST");
    assert_eq!(e.cameo, "144");
    assert!(e.acled.is_none(), "{e:#?}");
}

#[test]
fn expelled_diplomats_are_a_sanction_and_the_cause_no_new_attack() {
    let d = doc(
        "2024-03-05",
        "Iranian envoys expelled by France after a poison attack on an exiled dissident.",
        &[A("Iranian envoys", "IRNGOV"), A("France", "FRA")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    let e = find(&evs, "SANCTION");
    assert_eq!(e.cameo, "166");
    assert_eq!(e.source.code, "FRA");
    assert_eq!(tgt(e), Some("IRNGOV"));
    assert!(evs.iter().all(|e| e.plover != "ASSAULT"), "{evs:#?}");
    // deporting one's own citizens or unnamed individuals stays 174
    let d = doc(
        "2024-03-05",
        "Kenya expelled two Somali traders.",
        &[A("Kenya", "KEN"), A("Somali traders", "SOMBUS")],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    assert_eq!(find(&evs, "COERCE").cameo, "174");
}

#[test]
fn an_attack_in_a_leading_after_phrase_is_the_one_claimed() {
    let d = doc(
        "2024-03-05",
        "Minutes after the clashes between rebels and Malian soldiers, the militant group claimed responsibility for the attack.",
        &[
            A("rebels", "MLIREB"),
            A("Malian soldiers", "MLIMIL"),
            A("militant group", "MLIREB"),
        ],
        &[],
        &[],
    );
    let evs = coder().code(&d);
    assert!(evs.iter().all(|e| e.plover != "ASSAULT"), "{evs:#?}");
}
