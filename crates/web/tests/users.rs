//! Users managed on a page, on each backend: the administrator over every account, a provincial
//! officer over their communes' accounts only; an account added with a password made up once,
//! changed by its user before anything else opens; disabled, enabled, reset, given another role
//! or unit; each change in the audit log, and nothing done to an account outside the manager's
//! reach or to the manager's own.

mod support;

use axum::http::StatusCode;
use giamngheo_testing::databases;
use support::*;

/// The temporary password a page shows once.
fn temporary(body: &str) -> String {
    body.split("<code>")
        .nth(1)
        .and_then(|s| s.split("</code>").next())
        .map(str::to_string)
        .unwrap_or_else(|| panic!("no password on the page: {body}"))
}

/// The id of a user by login name, as the list links it.
fn id_in(list: &str, name: &str) -> i64 {
    let marker = format!("\">{name}</a>");
    let end = list
        .find(&marker)
        .unwrap_or_else(|| panic!("{name} not listed: {list}"));
    list[..end]
        .rsplit("/users/")
        .next()
        .and_then(|s| s.parse().ok())
        .expect("an id")
}

/// The names a user list shows.
fn listed(body: &str) -> Vec<String> {
    body.split("<td><a href=\"/users/")
        .skip(1)
        .filter_map(|s| s.split('>').nth(1))
        .filter_map(|s| s.split('<').next())
        .map(str::to_string)
        .collect()
}

async fn csrf_of(site: &Site, cookie: &str) -> String {
    value_of(&site.get("/account/password", cookie).await.body, "csrf")
}

#[tokio::test]
async fn users_are_managed_on_a_page() {
    for db in databases().await {
        let site = site(&db.url).await;
        let admin = site.login("admin").await;
        let admin_csrf = csrf_of(&site, &admin).await;
        // the administrator sees every account, and the menu leads there
        let list = site.get("/users", &admin).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("href=\"/users\">Người dùng</a>"));
        assert_eq!(
            listed(&list.body),
            ["admin", "hanoi", "lanhdao", "thanhtra", "tinh", "xa"],
            "{}",
            db.name
        );
        assert!(list.body.contains("Cán bộ xã") && list.body.contains("Xã Mường Phăng"));
        // an account added: the password made up is shown once, and the user changes it
        let added = site
            .post_form(
                "/users",
                &admin,
                &format!(
                    "csrf={admin_csrf}&name=Lo.Van.Pang&full_name={}&role=commune_officer&unit=03325",
                    enc("Lò Văn Pấng")
                ),
            )
            .await;
        assert_eq!(added.status, StatusCode::OK, "{}", added.body);
        assert!(added.body.contains("Đã tạo tài khoản."));
        let first = temporary(&added.body);
        assert_eq!(first.len(), 14, "{first}");
        assert!(!site.get("/users/1", &admin).await.body.contains(&first));
        let (status, pang) = site.try_login("lo.van.pang", &first).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let pang = pang.expect("a session");
        for uri in ["/", "/units/03325", "/units/03325/households", "/import"] {
            let r = site.get(uri, &pang).await;
            assert_eq!(r.location.as_deref(), Some("/account/password"), "{uri}");
        }
        let api = site.get("/api/v1/me", &pang).await;
        assert_eq!(api.status, StatusCode::FORBIDDEN);
        let form = site.get("/account/password", &pang).await;
        assert!(form.body.contains("Mật khẩu của bạn do người khác đặt"));
        let csrf = value_of(&form.body, "csrf");
        let change = |current: &str, new: &str, repeated: &str| {
            format!(
                "csrf={csrf}&current={}&new={}&repeated={}",
                enc(current),
                enc(new),
                enc(repeated)
            )
        };
        for (body, says) in [
            (
                change("sai-mat-khau", "mới-của-tôi-1", "mới-của-tôi-1"),
                "mật khẩu hiện tại không đúng",
            ),
            (
                change(&first, "mới-của-tôi-1", "mới-của-tôi-2"),
                "hai lần nhập mật khẩu mới không giống nhau",
            ),
            (
                change(&first, "ngắn", "ngắn"),
                "mật khẩu cần ít nhất 8 ký tự",
            ),
            (
                change(&first, &first, &first),
                "mật khẩu mới phải khác mật khẩu hiện tại",
            ),
        ] {
            let r = site.post_form("/account/password", &pang, &body).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{says}");
            assert!(r.body.contains(says), "{says}: {}", r.body);
        }
        let done = site
            .post_form(
                "/account/password",
                &pang,
                &change(&first, "mới-của-tôi-1", "mới-của-tôi-1"),
            )
            .await;
        assert!(done.body.contains("Đã đổi mật khẩu"), "{}", done.body);
        // the session it was changed from stays open, and now opens everything
        assert_eq!(site.get("/units/03325", &pang).await.status, StatusCode::OK);
        assert_eq!(
            site.try_login("lo.van.pang", &first).await.0,
            StatusCode::UNAUTHORIZED
        );
        // names: refused in words, the form kept
        for (form, says) in [
            (
                format!("csrf={admin_csrf}&name=xa&role=leader&unit=11"),
                "đã có người dùng tên đăng nhập xa",
            ),
            (
                format!(
                    "csrf={admin_csrf}&name={}&role=leader&unit=11",
                    enc("Lò Pấng")
                ),
                "tên đăng nhập gồm 2 đến 32",
            ),
            (
                format!("csrf={admin_csrf}&name=moi&role=commune_officer&unit=11"),
                "đơn vị của cán bộ cấp xã là một xã",
            ),
            (
                format!("csrf={admin_csrf}&name=moi&role=leader&unit=99999"),
                "không có đơn vị `99999`",
            ),
            (
                format!("csrf={admin_csrf}&name=moi&role=king&unit=11"),
                "không có vai trò `king`",
            ),
        ] {
            let r = site.post_form("/users", &admin, &form).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{form}");
            assert!(r.body.contains(says), "{says}: {}", r.body);
            assert!(r.body.contains("role=\"alert\""));
        }
        // a provincial officer manages their communes' accounts, nothing else
        let tinh = site.login("tinh").await;
        let tinh_csrf = csrf_of(&site, &tinh).await;
        let theirs = site.get("/users", &tinh).await;
        assert_eq!(theirs.status, StatusCode::OK);
        assert_eq!(listed(&theirs.body), ["lo.van.pang", "xa"], "{}", db.name);
        // the communes of their province to choose from, and only the roles below theirs
        assert!(theirs
            .body
            .contains("<option value=\"03325\">Xã Mường Phăng (03325)"));
        assert!(!theirs.body.contains("value=\"administrator\""));
        assert!(!theirs.body.contains("value=\"00070\""));
        let ids = site.get("/users", &admin).await.body;
        let (admin_id, lanhdao_id, xa_id) = (
            id_in(&ids, "admin"),
            id_in(&ids, "lanhdao"),
            id_in(&ids, "xa"),
        );
        for id in [admin_id, lanhdao_id] {
            assert_eq!(
                site.get(&format!("/users/{id}"), &tinh).await.status,
                StatusCode::NOT_FOUND
            );
            let r = site
                .post_form(
                    &format!("/users/{id}/active"),
                    &tinh,
                    &format!("csrf={tinh_csrf}&active=0"),
                )
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND);
        }
        for form in [
            "name=vua&role=administrator&unit=03325",
            "name=vua&role=leader&unit=00070",
            "name=vua&role=leader&unit=11",
            "name=vua&role=provincial_officer&unit=11",
        ] {
            let r = site
                .post_form("/users", &tinh, &format!("csrf={tinh_csrf}&{form}"))
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{form}");
            assert!(r.body.contains("role=\"alert\""), "{form}");
        }
        assert!(site
            .get("/users", &admin)
            .await
            .body
            .split("<tbody>")
            .nth(1)
            .is_some_and(|b| !b.contains(">vua<")));
        // disabled: logged out at once, and no login until enabled again
        let xa = site.login("xa").await;
        let off = site
            .post_form(
                &format!("/users/{xa_id}/active"),
                &tinh,
                &format!("csrf={tinh_csrf}&active=0"),
            )
            .await;
        assert_eq!(off.location, Some(format!("/users/{xa_id}?saved=1")));
        assert_eq!(
            site.get("/units/03325", &xa).await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            site.try_login("xa", PASSWORD).await.0,
            StatusCode::UNAUTHORIZED
        );
        let page = site.get(&format!("/users/{xa_id}?saved=1"), &tinh).await;
        assert!(page.body.contains("Đã khóa") && page.body.contains("Mở lại tài khoản"));
        site.post_form(
            &format!("/users/{xa_id}/active"),
            &tinh,
            &format!("csrf={tinh_csrf}&active=1"),
        )
        .await;
        let xa = site.login("xa").await;
        // another role and unit within the province: the user's sessions close
        let moved = site
            .post_form(
                &format!("/users/{xa_id}"),
                &tinh,
                &format!(
                    "csrf={tinh_csrf}&full_name={}&role=leader&unit=03328",
                    enc("Quàng Văn Xã")
                ),
            )
            .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
        assert_eq!(
            site.get("/units/03325", &xa).await.status,
            StatusCode::SEE_OTHER
        );
        let page = site.get(&format!("/users/{xa_id}"), &tinh).await;
        assert!(page.body.contains("Quàng Văn Xã"));
        assert!(page.body.contains("<option value=\"leader\" selected>"));
        assert!(page.body.contains("<option value=\"03328\" selected>"));
        // a reset: the old password no longer opens, the new one opens the change page only
        let reset = site
            .post_form(
                &format!("/users/{xa_id}/password"),
                &tinh,
                &format!("csrf={tinh_csrf}"),
            )
            .await;
        assert_eq!(reset.status, StatusCode::OK);
        assert!(reset.body.contains("Đã đặt lại mật khẩu"));
        let temp = temporary(&reset.body);
        assert_eq!(
            site.try_login("xa", PASSWORD).await.0,
            StatusCode::UNAUTHORIZED
        );
        let (_, xa) = site.try_login("xa", &temp).await;
        let xa = xa.expect("a session");
        assert_eq!(
            site.get("/units/03328", &xa).await.location.as_deref(),
            Some("/account/password")
        );
        // nobody changes their own role or access, or resets their own password
        for (uri, form) in [
            (format!("/users/{admin_id}/active"), "active=0".to_string()),
            (format!("/users/{admin_id}/password"), String::new()),
            (
                format!("/users/{admin_id}"),
                "role=leader&unit=11&full_name=admin".to_string(),
            ),
        ] {
            let r = site
                .post_form(&uri, &admin, &format!("csrf={admin_csrf}&{form}"))
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
            assert!(r.body.contains("không thể tự đổi"), "{uri}: {}", r.body);
        }
        assert_eq!(site.get("/users", &admin).await.status, StatusCode::OK);
        // a forged form is refused before anything is read
        let forged = site
            .post_form(
                &format!("/users/{xa_id}/active"),
                &tinh,
                &format!("csrf={}&active=0", "0".repeat(64)),
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        // the roles that manage nobody
        for name in ["xa", "lanhdao", "thanhtra"] {
            let cookie = if name == "xa" {
                xa.clone()
            } else {
                site.login(name).await
            };
            let r = site.get("/users", &cookie).await;
            let expected = if name == "xa" {
                StatusCode::SEE_OTHER
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(r.status, expected, "{name}");
        }
        // each change in the audit log, with what it changed
        for (action, count) in [
            ("user.disable", 1),
            ("user.enable", 1),
            ("user.update", 1),
            ("user.reset_password", 1),
            ("user.password", 1),
        ] {
            let entries = site.audited(action).await;
            assert_eq!(entries.len(), count, "{}: {action}", db.name);
        }
        let update = &site.audited("user.update").await[0];
        assert_eq!(update.user_name, "tinh");
        let after: serde_json::Value =
            serde_json::from_str(update.after.as_deref().unwrap_or("{}")).expect("json");
        assert_eq!(after["role"], "leader");
        assert_eq!(after["unit_code"], "03328");
        let before: serde_json::Value =
            serde_json::from_str(update.before.as_deref().unwrap_or("{}")).expect("json");
        assert_eq!(before["role"], "commune_officer");
        let added = site.audited("user.add").await;
        assert!(added.iter().any(|e| e.user_name == "admin"));
        let log = site.get("/audit?action=user.update", &admin).await;
        assert!(log.body.contains("Sửa tài khoản"), "{}", log.body);
        assert!(log
            .body
            .contains("<del>cán bộ xã</del> → <ins>lãnh đạo</ins>"));
        assert!(
            log.body
                .contains("<del>Xã Mường Phăng (03325)</del> → <ins>Xã Thanh Nưa (03328)</ins>"),
            "{}",
            log.body
        );
        // and in English, the pages speak English
        let en = site.get("/users", &format!("{admin}; gn_lang=en")).await;
        assert!(en.body.contains("Add an account") && !en.body.contains("Tạo tài khoản"));
    }
}
