"""Named, ordered schema migrations. Applied ones are recorded in ``schema_migrations``; never edit an applied
migration, add a new one."""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_initial",
        """
        CREATE TABLE runs (
            run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP, status VARCHAR,
            inputs VARCHAR, pipeline_version VARCHAR, n_articles INTEGER DEFAULT 0, n_skipped INTEGER DEFAULT 0,
            n_events INTEGER DEFAULT 0, n_rejects INTEGER DEFAULT 0, stats JSON
        );
        CREATE TABLE articles (
            article_id VARCHAR PRIMARY KEY, source_path VARCHAR, record_index INTEGER, url VARCHAR, title VARCHAR,
            published DATE, is_html BOOLEAN, raw_text VARCHAR, first_run VARCHAR
        );
        CREATE TABLE docs (
            article_id VARCHAR PRIMARY KEY, clean_text VARCHAR, offset_map JSON, text_base VARCHAR,
            pub_date DATE, pub_date_source VARCHAR, pub_window_start DATE, pub_window_end DATE,
            focus_country VARCHAR, episode VARCHAR, n_sentences INTEGER, n_mentions INTEGER,
            pipeline_version VARCHAR, run_id VARCHAR
        );
        CREATE TABLE events (
            event_id VARCHAR PRIMARY KEY, article_id VARCHAR, event_date DATE, date_precision INTEGER,
            date_source VARCHAR, event_type VARCHAR, sub_event_type VARCHAR,
            actor1 VARCHAR, actor1_raw VARCHAR, inter1 INTEGER, actor1_method VARCHAR,
            actor2 VARCHAR, actor2_raw VARCHAR, inter2 INTEGER, actor2_method VARCHAR, interaction INTEGER,
            location VARCHAR, admin1 VARCHAR, country VARCHAR, latitude DOUBLE, longitude DOUBLE,
            geo_precision INTEGER, geo_method VARCHAR, geo_confidence DOUBLE, gazetteer_id VARCHAR, match_tier VARCHAR,
            fatalities_low INTEGER, fatalities_best INTEGER, fatalities_high INTEGER, civilian_fatalities INTEGER,
            confidence DOUBLE, evidence JSON, run_id VARCHAR
        );
        CREATE TABLE claims (
            claim_id VARCHAR PRIMARY KEY, event_id VARCHAR, article_id VARCHAR, kind VARCHAR, source VARCHAR,
            via VARCHAR, text VARCHAR, span_start INTEGER, span_end INTEGER, low INTEGER, best INTEGER,
            high INTEGER, civilian BOOLEAN
        );
        CREATE TABLE rejects (
            reject_id VARCHAR PRIMARY KEY, source_path VARCHAR, record_index INTEGER, stage VARCHAR, code VARCHAR,
            reason VARCHAR, content_hash VARCHAR, run_id VARCHAR, rejected_at TIMESTAMP
        );
        CREATE INDEX events_date ON events(event_date);
        CREATE INDEX events_article ON events(article_id);
        CREATE INDEX claims_event ON claims(event_id);
        """,
    ),
    (
        "0002_clusters_reviews_admin2",
        """
        ALTER TABLE events ADD COLUMN admin2 VARCHAR;
        CREATE TABLE clusters (
            cluster_id VARCHAR PRIMARY KEY, date_start DATE, date_end DATE, event_type VARCHAR, sub_event_type VARCHAR,
            actor1 VARCHAR, actor2 VARCHAR, location VARCHAR, admin1 VARCHAR, country VARCHAR, latitude DOUBLE,
            longitude DOUBLE, geo_precision INTEGER, fatalities_low INTEGER, fatalities_best INTEGER,
            fatalities_high INTEGER, civilian_fatalities INTEGER, n_events INTEGER, source_count INTEGER,
            updated_at TIMESTAMP
        );
        CREATE TABLE cluster_members (event_id VARCHAR PRIMARY KEY, cluster_id VARCHAR, score DOUBLE);
        CREATE INDEX cluster_members_cluster ON cluster_members(cluster_id);
        CREATE TABLE reviews (
            review_id VARCHAR PRIMARY KEY, event_id VARCHAR, other_event_id VARCHAR, action VARCHAR, field VARCHAR,
            value VARCHAR, author VARCHAR, note VARCHAR, created_at TIMESTAMP
        );
        CREATE INDEX reviews_event ON reviews(event_id);
        CREATE TABLE lexicon_additions (
            kind VARCHAR, alias VARCHAR, value VARCHAR, review_id VARCHAR, created_at TIMESTAMP,
            PRIMARY KEY (kind, alias)
        );
        """,
    ),
    (
        "0003_article_outlet",
        """
        ALTER TABLE articles ADD COLUMN outlet VARCHAR;
        """,
    ),
    (
        "0004_review_users_undo",
        """
        CREATE TABLE users (
            name VARCHAR PRIMARY KEY, token_sha256 VARCHAR, created_at TIMESTAMP, disabled BOOLEAN DEFAULT false
        );
        CREATE VIEW active_reviews AS
            SELECT * FROM reviews WHERE action <> 'undo'
            AND review_id NOT IN (SELECT value FROM reviews WHERE action = 'undo' AND value IS NOT NULL);
        CREATE VIEW rejected_events AS
            SELECT event_id FROM active_reviews WHERE action IN ('confirm', 'reject')
            GROUP BY event_id HAVING arg_max(action, created_at) = 'reject';
        """,
    ),
    (
        "0005_event_reportability",
        """
        ALTER TABLE events ADD COLUMN reportability DOUBLE;
        ALTER TABLE events ADD COLUMN reportable BOOLEAN DEFAULT TRUE;
        ALTER TABLE events ADD COLUMN reportable_method VARCHAR;
        """,
    ),
    (
        "0006_event_type_method",
        """
        ALTER TABLE events ADD COLUMN type_method VARCHAR;
        ALTER TABLE events ADD COLUMN type_rule VARCHAR;
        ALTER TABLE events ADD COLUMN type_model_probability DOUBLE;
        """,
    ),
]
