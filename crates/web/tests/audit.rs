//! The audit log's hash chain, broken on purpose on each backend: an entry changed, an entry
//! removed from the middle, an entry forged at the end. The check names the first bad entry, and
//! the inspector's page says the chain is broken there. (A log cut at its end is caught by an
//! exported head: `hostile.rs`, F9.)

mod support;

use giamngheo_testing::{databases, tamper_audit_log};
use support::*;

/// A site with a few entries in its log (the users created, then logins), the id of a middle one.
async fn logged(url: &str) -> (Site, i64) {
    let site = site(url).await;
    for user in ["tinh", "xa", "lanhdao"] {
        site.login(user).await;
    }
    let entries = site.audited("session.login").await;
    assert_eq!(entries.len(), 3);
    // the middle login
    (site, entries[1].id)
}

async fn the_page_says_broken_at(site: &Site, id: i64, db: &str) {
    let inspector = site.login("thanhtra").await;
    let page = site.get("/audit", &inspector).await;
    assert!(
        page.body
            .contains(&format!("Chuỗi băm bị phá vỡ tại mục #{id}")),
        "{db}: {}",
        page.body
    );
    assert!(!page.body.contains("Chuỗi băm của nhật ký toàn vẹn"));
}

#[tokio::test]
async fn a_changed_entry_is_named() {
    for db in databases().await {
        let (site, id) = logged(&db.url).await;
        assert!(site
            .state
            .registry
            .unscoped()
            .verify_audit_log()
            .await
            .expect("check")
            .is_ok());
        tamper_audit_log(
            &db.url,
            &format!("UPDATE audit_log SET record = 'user:999' WHERE id = {id}"),
        )
        .await
        .expect("tamper");
        let check = site
            .state
            .registry
            .unscoped()
            .verify_audit_log()
            .await
            .expect("check");
        assert_eq!(check, Err(id), "{}", db.name);
        the_page_says_broken_at(&site, id, db.name).await;
        site.state.registry.close().await;
    }
}

#[tokio::test]
async fn an_entry_removed_from_the_middle_breaks_the_next() {
    for db in databases().await {
        let (site, id) = logged(&db.url).await;
        tamper_audit_log(&db.url, &format!("DELETE FROM audit_log WHERE id = {id}"))
            .await
            .expect("tamper");
        let check = site
            .state
            .registry
            .unscoped()
            .verify_audit_log()
            .await
            .expect("check");
        assert_eq!(check, Err(id + 1), "{}", db.name);
        the_page_says_broken_at(&site, id + 1, db.name).await;
        site.state.registry.close().await;
    }
}

#[tokio::test]
async fn a_forged_entry_at_the_end_is_named() {
    for db in databases().await {
        let (site, _) = logged(&db.url).await;
        // a copy of the last entry, chained to it, under another name: its hash cannot be right
        tamper_audit_log(
            &db.url,
            "INSERT INTO audit_log (at, user_id, user_name, action, record, unit_code, \
             before_value, after_value, prev_hash, hash) \
             SELECT at, user_id, 'mallory', action, record, unit_code, before_value, \
             after_value, hash, hash FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)",
        )
        .await
        .expect("tamper");
        let forged = site
            .state
            .registry
            .unscoped()
            .audit_head()
            .await
            .expect("head")
            .expect("an entry")
            .id;
        let check = site
            .state
            .registry
            .unscoped()
            .verify_audit_log()
            .await
            .expect("check");
        assert_eq!(check, Err(forged), "{}", db.name);
        the_page_says_broken_at(&site, forged, db.name).await;
        site.state.registry.close().await;
    }
}
