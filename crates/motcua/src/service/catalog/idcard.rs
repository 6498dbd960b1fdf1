//! What a chip ID card's QR says, with the printed address resolved to today's units: a pre-reform address through
//! the 2025 merge map (a split commune gives its candidates), a current one by name, each inside the province the
//! address names. The access is audited without the number.

use crate::error::AppResult;
use crate::service::account::session::Actor;
use crate::state::AppState;
use crate::store::units::{self, OldFilter, UnitFilter};
use motcua_domain::qr::{address_parts, CardQr};
use motcua_domain::text::search_key;
use serde::Serialize;

/// A unit the printed address is today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CurrentUnit {
    pub code: String,
    pub name: String,
    pub province_code: String,
}

/// The card and the units its address is today.
#[derive(Debug, Clone)]
pub struct CardRead {
    pub card: CardQr,
    pub current_units: Vec<CurrentUnit>,
}

/// A province as an address writes it, reduced to its name ("TP. Hồ Chí Minh" → "ho chi minh").
fn province_key(p: &str) -> String {
    let k = search_key(p);
    for prefix in ["thanh pho ", "tp ", "tinh "] {
        if let Some(rest) = k.strip_prefix(prefix) {
            return rest.to_owned();
        }
    }
    k
}

/// Reads a card's QR (a refusal names what is wrong) and resolves its address.
pub async fn read(st: &AppState, actor: &Actor, qr: &str, request_id: &str) -> AppResult<CardRead> {
    let card = CardQr::parse(qr)?;
    st.access
        .append(&actor.audit(
            ("read_id_card", "id_card", String::new()),
            "đọc mã QR căn cước",
            request_id,
            st.clock.now(),
        ))
        .await?;
    let current_units = resolve(st, &card.address).await?;
    Ok(CardRead {
        card,
        current_units,
    })
}

/// Today's units for a printed address: the merge map first (old communes), then the current units by name.
pub async fn resolve(st: &AppState, address: &str) -> AppResult<Vec<CurrentUnit>> {
    let parts = address_parts(address);
    let Some(commune) = parts.commune else {
        return Ok(Vec::new());
    };
    let province = parts.province.as_deref().map(province_key);
    let old = units::lookup_old(
        &st.db,
        &OldFilter {
            name: Some(commune.clone()),
            code: None,
            province: province.clone(),
            district: parts.district.as_deref().map(search_key),
        },
    )
    .await?;
    let mut out: Vec<CurrentUnit> = Vec::new();
    for r in old {
        let u = CurrentUnit {
            code: r.new_unit_code,
            name: r.new_unit_name,
            province_code: r.new_province_code,
        };
        if !out.contains(&u) {
            out.push(u);
        }
    }
    if !out.is_empty() {
        return Ok(out);
    }
    // An address written after the reform names today's commune itself.
    let provinces = units::list(
        &st.db,
        &UnitFilter {
            level: Some("province".into()),
            ..UnitFilter::default()
        },
    )
    .await?;
    let in_province: Vec<String> = provinces
        .iter()
        .filter(|p| {
            province
                .as_deref()
                .is_some_and(|k| province_key(&p.name) == k)
        })
        .map(|p| p.code.clone())
        .collect();
    let key = search_key(&commune);
    for p in in_province {
        let found = units::list(
            &st.db,
            &UnitFilter {
                province: Some(p.clone()),
                q: Some(commune.clone()),
                ..UnitFilter::default()
            },
        )
        .await?;
        out.extend(
            found
                .into_iter()
                .filter(|u| u.level != "province" && search_key(&u.name) == key)
                .map(|u| CurrentUnit {
                    code: u.code,
                    name: u.name,
                    province_code: p.clone(),
                }),
        );
    }
    Ok(out)
}
