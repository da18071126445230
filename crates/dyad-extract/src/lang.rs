//! Language identification of article bodies and removed blocks.
//!
//! A thin wrapper over the `whatlang` crate (trigram profiles, no model
//! files, fast to build) that returns ISO 639-1 codes, the form the output
//! record uses.
//!
//! ```
//! assert_eq!(dyad_extract::lang::detect("The president met the minister on Thursday and said the talks went well."), Some("en"));
//! ```

/// Detects the language of `text`, as an ISO 639-1 code. `None` when the
/// text holds too few letters to judge or the language has no 639-1 code.
pub fn detect(text: &str) -> Option<&'static str> {
    let info = whatlang::detect(text)?;
    iso639_1(info.lang())
}

/// Every language whatlang 0.16 knows has a 639-1 code; the match is
/// exhaustive so an upgrade that adds languages fails to compile here.
fn iso639_1(l: whatlang::Lang) -> Option<&'static str> {
    use whatlang::Lang::*;
    Some(match l {
        Eng => "en",
        Fra => "fr",
        Deu => "de",
        Spa => "es",
        Ita => "it",
        Por => "pt",
        Nld => "nl",
        Pol => "pl",
        Rus => "ru",
        Ukr => "uk",
        Ara => "ar",
        Tur => "tr",
        Swe => "sv",
        Dan => "da",
        Nob => "nb",
        Fin => "fi",
        Ces => "cs",
        Slk => "sk",
        Hun => "hu",
        Ron => "ro",
        Ell => "el",
        Heb => "he",
        Pes => "fa",
        Hin => "hi",
        Urd => "ur",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Vie => "vi",
        Ind => "id",
        Tha => "th",
        Bul => "bg",
        Hrv => "hr",
        Srp => "sr",
        Slv => "sl",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Bel => "be",
        Kat => "ka",
        Hye => "hy",
        Ben => "bn",
        Tam => "ta",
        Tel => "te",
        Mar => "mr",
        Guj => "gu",
        Kan => "kn",
        Mal => "ml",
        Pan => "pa",
        Nep => "ne",
        Sin => "si",
        Amh => "am",
        Aze => "az",
        Uzb => "uz",
        Tgl => "tl",
        Afr => "af",
        Epo => "eo",
        Lat => "la",
        Zul => "zu",
        Sna => "sn",
        Aka => "ak",
        Yid => "yi",
        Khm => "km",
        Mya => "my",
        Ori => "or",
        Cat => "ca",
        Mkd => "mk",
        Tuk => "tk",
        Jav => "jv",
    })
}
