//! Every migration's `down` works: all the way down and up again on a fresh database.

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database};

use crate::helpers::spawn_app;

#[actix_web::test]
async fn every_migration_can_be_rolled_back_and_reapplied() {
    let app = spawn_app().await;
    app.create("/api/v1/consultants", &crate::helpers::consultant("Anna")).await;
    let db = app.stop().await;
    let conn = Database::connect(db.url()).await.unwrap();
    let applied = Migrator::get_applied_migrations(&conn).await.unwrap().len();
    assert_eq!(applied, Migrator::migrations().len());
    Migrator::down(&conn, None).await.unwrap();
    assert!(Migrator::get_applied_migrations(&conn).await.unwrap().is_empty());
    let gone = conn.execute_unprepared("SELECT 1 FROM consultants").await;
    assert!(gone.is_err(), "down drops the tables");
    Migrator::up(&conn, None).await.unwrap();
    assert_eq!(Migrator::get_applied_migrations(&conn).await.unwrap().len(), applied);
    conn.close().await.unwrap();
}
