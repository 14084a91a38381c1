/**
 * A PostgreSQL database that covers every type and schema feature the dialect handles,
 * each with awkward values. Run {@link POSTGRES_FIXTURE_SCRIPTS} in order, each as one
 * multi-statement query, as a superuser.
 */
export const ODD_SCHEMA = 'Odd "Sch".ü';
export const ODD_TABLE = 'Ta.ble "Q" Ü';

export const POSTGRES_FIXTURE_SQL = String.raw`
SET search_path = public;
CREATE SCHEMA "Odd ""Sch"".ü";
COMMENT ON SCHEMA "Odd ""Sch"".ü" IS 'a schema with ''quotes'' and ü';

CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
ALTER TYPE public.mood ADD VALUE 'meh' BEFORE 'ok';
ALTER TYPE public.mood ADD VALUE 'ecstatic';
COMMENT ON TYPE public.mood IS 'how it feels';
CREATE DOMAIN public.posint AS integer CONSTRAINT "posint check" CHECK (VALUE > 0);
CREATE TYPE public.pair AS (x integer, "Label" text);
CREATE TYPE "Odd ""Sch"".ü"."Weird Type" AS ENUM ('a''b', 'c"d', 'select');
CREATE TYPE public.floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE TYPE public.unused_enum AS ENUM ('never');
CREATE DOMAIN public.a_moods AS public.mood[] CONSTRAINT few CHECK (cardinality(VALUE) < 5);
CREATE TYPE public.a_pair_holder AS (p public.pair, w "Odd ""Sch"".ü"."Weird Type", moods public.a_moods);
CREATE DOMAIN public.code AS varchar(5) COLLATE "C" DEFAULT 'x' NOT NULL;
-- @commit: new enum values must be committed before use


CREATE TABLE public.all_types (
  id integer PRIMARY KEY,
  i2 smallint, i4 integer, i8 bigint,
  num numeric, num_ps numeric(10,3),
  r4 real, r8 double precision,
  b boolean,
  t text, vc varchar(10), ch char(5),
  by bytea,
  d date, tm time, tmtz timetz, ts timestamp, tstz timestamptz, iv interval,
  u uuid, j json, jb jsonb,
  arr2 integer[][], arrn text[], arrlb integer[],
  m public.mood, dom public.posint, comp public.pair,
  i4r int4range, tsr tstzrange, i4mr int4multirange, fr public.floatrange,
  ip inet, cid cidr, mac macaddr,
  mon money, bt bit(4), vb varbit,
  tsv tsvector, tsq tsquery, x xml, o oid, rc regclass,
  pt point, ln line, bx box, pg polygon, ci circle,
  weird "Odd ""Sch"".ü"."Weird Type",
  moods public.mood[]
);
COMMENT ON COLUMN public.all_types.t IS 'text with */ and
a newline';
INSERT INTO public.all_types VALUES
(1, -32768, -2147483648, -9223372036854775808, 0.000000000000000000000000000001, 1.500,
 'NaN', 'NaN', true,
 E'tab\there\nnew line\\back "dq" ''sq'' \r cr', 'abc', 'ab', '\x00ff5c0a',
 '4713-01-01 BC', '24:00:00', '23:59:59.999999+14', '294276-12-31 23:59:59.999999', 'infinity', '-178000000 years',
 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"b":1,  "a":2, "a":3}', '{"b":1,"a":[1,2.50]}',
 '{{1,2},{3,NULL}}', '{NULL,"a b","\"q\"","NULL"}', '[0:1]={1,2}',
 'meh', 1, '(1,"x,y")', '[1,5)', '[2020-01-01 00:00:00+00,infinity)', '{[1,3),[5,7)}', '[1.5,2.5]',
 '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03',
 '-92233720368547758.08', B'1010', B'101',
 'a fat:2 cat', 'fat & (rat | cat)', '<a>1</a>', 4294967295, 'public.all_types',
 '(1.5,-2)', '{1,-1,0}', '((1,1),(0,0))', '((0,0),(1,1),(1,0))', '<(0,0),1.5>',
 'a''b', '{sad,ecstatic}'),
(2, 32767, 2147483647, 9223372036854775807, 'NaN', 0,
 'Infinity', '-Infinity', false,
 '', 'ü€😀', '', '',
 'infinity', '00:00', '00:00-15:59', '-infinity', '2000-01-01 00:00:00.000001+05:30', '1 mon -2 days 03:04:05.000006',
 '00000000-0000-0000-0000-000000000000', '[]', 'null',
 '{}', '{}', '{}',
 'ecstatic', 2147483647, '(,)', 'empty', '(,)', '{}', '(,)',
 '::1', '::/0', 'ff:ff:ff:ff:ff:ff',
 '92233720368547758.07', B'0000', B'',
 '', '', '', 0, 'pg_class',
 '(0,0)', '{1,0,0}', '((0,0),(0,0))', '((0,0))', '<(0,0),0>',
 'c"d', '{}'),
(3, 0, 0, 0, 'Infinity', -1234567.125,
 '-0', '5e-324', NULL,
 'ü ☃ 😀 é', 'a\b', 'abcde', '\x5c4e',
 '0001-01-01 BC', '12:34:56.789', '12:00+00', '2000-02-29 12:00:00.5', '1999-12-31 23:59:59.999999-12', '00:00:00',
 'ffffffff-ffff-ffff-ffff-ffffffffffff', ' { "z" : [ 1 , 2 ] } ', '{"é": "\u00e9", "n": 1e100}',
 '{{NULL,NULL},{NULL,NULL}}', '{"",""," "}', '[-5:-4]={7,8}',
 'sad', 42, '(-1,"")', '(1,2]', '[-infinity,2020-01-01 00:00:00.000001+00)', '{(,0),[10,)}', '[-Infinity,Infinity]',
 '10.1.2.3', '2001:db8::/32', '00:00:00:00:00:00',
 '0.01', B'1111', B'1111000011110000',
 'xyz:1A,2B', '!a', '<!-- c --><b x="1"/>text', 1, 'public.all_types',
 '(-0,1e-300)', '{0,1,-5}', '((-1,-1),(-2,-2))', '((0,0),(0,1),(1,1),(1,0))', '<(1,1),1e-10>',
 'select', '{NULL}'),
(4, NULL, NULL, NULL, '-Infinity', NULL,
 '1.1', '-0', NULL,
 'NULL', '\N', '\N', NULL,
 NULL, NULL, NULL, NULL, '1970-01-01 00:00:00+00', NULL,
 NULL, 'null', '"esc \u00e9 \n \\ \""',
 NULL, NULL, NULL,
 NULL, NULL, NULL, NULL, NULL, NULL, NULL,
 NULL, NULL, NULL,
 NULL, NULL, NULL,
 NULL, NULL, NULL, NULL, NULL,
 NULL, NULL, NULL, NULL, NULL,
 NULL, NULL),
(5, NULL, NULL, NULL, 1.500, NULL, 3.4028235e38, 1.7976931348623157e308, NULL,
 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
ALTER DOMAIN public.posint ADD CONSTRAINT posint_small CHECK (VALUE < 1000) NOT VALID;
COMMENT ON DOMAIN public.posint IS 'positive';
CREATE TABLE public.typed_holder (id integer PRIMARY KEY, am public.a_moods, ph public.a_pair_holder, c public.code);
INSERT INTO public.typed_holder VALUES (1, '{meh,sad}', '("(1,x)","c""d","{ok}")', 'ab'), (2, NULL, NULL, DEFAULT);
CREATE INDEX all_types_lower ON public.all_types (lower(t) DESC NULLS LAST);

CREATE TABLE public.ident_always (id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 5) PRIMARY KEY, v text);
INSERT INTO public.ident_always (v) VALUES ('a'), ('b'), ('c');
CREATE TABLE public.ident_default (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text);
INSERT INTO public.ident_default (v) VALUES ('a');
INSERT INTO public.ident_default (id, v) VALUES (1000, 'explicit');
CREATE TABLE public.serial_t (id serial PRIMARY KEY, v text NOT NULL DEFAULT 'x', g integer GENERATED ALWAYS AS (length(v) * 2) STORED);
INSERT INTO public.serial_t (v) VALUES ('a'), ('bb');
SELECT setval('public.serial_t_id_seq', 50);
CREATE SEQUENCE public.free_seq START 7 INCREMENT -1 MINVALUE -100 MAXVALUE 7 CYCLE;
CREATE SEQUENCE public.free_seq2 AS smallint;
SELECT nextval('public.free_seq2'), nextval('public.free_seq2');
COMMENT ON SEQUENCE public.free_seq2 IS 'counts';

CREATE TABLE public.booking (id integer PRIMARY KEY, room integer, during tsrange,
  CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&));
INSERT INTO public.booking VALUES (1, 1, '[2020-01-01,2020-01-02)'), (2, 1, '[2020-01-02,2020-01-03)');
CREATE TABLE public.checked (id integer PRIMARY KEY, v integer, CONSTRAINT "v positive" CHECK (v > 0));
INSERT INTO public.checked VALUES (1, 5), (2, 20);
ALTER TABLE public.checked ADD CONSTRAINT v_small CHECK (v < 10) NOT VALID;
CREATE INDEX checked_partial ON public.checked (v) WHERE v > 1;
COMMENT ON CONSTRAINT "v positive" ON public.checked IS 'must be positive';
COMMENT ON INDEX public.checked_partial IS 'partial';
COMMENT ON TABLE public.checked IS 'checked rows';

CREATE TABLE public.parent_t (id integer PRIMARY KEY, child_id integer);
CREATE TABLE public.child_t (id integer PRIMARY KEY,
  parent_id integer REFERENCES public.parent_t (id) ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED,
  self_id integer CONSTRAINT child_self REFERENCES public.child_t (id));
ALTER TABLE public.parent_t ADD CONSTRAINT parent_child_fk FOREIGN KEY (child_id) REFERENCES public.child_t (id) DEFERRABLE;
-- @commit
BEGIN;
SET CONSTRAINTS ALL DEFERRED;
INSERT INTO public.parent_t VALUES (1, 10), (2, NULL);
INSERT INTO public.child_t VALUES (10, 1, NULL), (11, 1, 10), (12, 2, 12);
COMMIT;
-- @commit
ALTER TABLE public.child_t DROP CONSTRAINT child_self;
INSERT INTO public.child_t VALUES (13, NULL, 99);
-- @commit
ALTER TABLE public.child_t ADD CONSTRAINT child_self FOREIGN KEY (self_id) REFERENCES public.child_t (id) NOT VALID;

CREATE VIEW public.v_checked AS SELECT id, v FROM public.checked WHERE v > 0 WITH CASCADED CHECK OPTION;
CREATE VIEW public."v on view" AS SELECT id AS "Id" FROM public.v_checked;
COMMENT ON VIEW public.v_checked IS 'a view';
CREATE MATERIALIZED VIEW public.mv AS SELECT count(*) AS n FROM public.checked;
CREATE UNIQUE INDEX mv_n ON public.mv (n);
CREATE MATERIALIZED VIEW public.mv_empty AS SELECT 1 AS one WITH NO DATA;
-- regclass values naming a view and a materialized view (they must exist before the rows load),
-- and a view that needs the primary key (GROUP BY): it can only be made after the data.
UPDATE public.all_types SET rc = 'public."v on view"' WHERE id = 3;
UPDATE public.all_types SET rc = 'public.mv' WHERE id = 1;
CREATE VIEW public.v_by_pk AS SELECT id, v, count(*) AS n FROM public.checked GROUP BY id;

CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.v := NEW.v; RETURN NEW; END$$;
CREATE TRIGGER "Trig ""ger""" BEFORE INSERT OR UPDATE ON public.checked FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE TRIGGER disabled_trigger AFTER DELETE ON public.checked FOR EACH ROW EXECUTE FUNCTION public.touch();
ALTER TABLE public.checked DISABLE TRIGGER disabled_trigger;
COMMENT ON TRIGGER disabled_trigger ON public.checked IS 'off';

CREATE TABLE public.measure (id integer, at date NOT NULL, v numeric, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE public.measure_2020 PARTITION OF public.measure FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TABLE public.measure_def (v numeric, at date NOT NULL, id integer NOT NULL);
ALTER TABLE public.measure ATTACH PARTITION public.measure_def DEFAULT;
CREATE INDEX measure_v ON public.measure (v);
INSERT INTO public.measure VALUES (1, '2020-05-01', 1.5), (2, '1999-01-01', 2.50), (3, '2020-12-31', NULL);

CREATE TABLE public.animal (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE public.dog (breed text, CHECK (breed <> '')) INHERITS (public.animal);
INSERT INTO public.animal VALUES (1, 'generic');
INSERT INTO public.dog VALUES (2, 'rex', 'lab'), (3, 'rex', 'lab');

CREATE TABLE public.nocols ();
INSERT INTO public.nocols DEFAULT VALUES;
INSERT INTO public.nocols DEFAULT VALUES;
INSERT INTO public.nocols DEFAULT VALUES;

CREATE TABLE public.nopk (j json, p point, n numeric, f double precision, t text COLLATE "C");
INSERT INTO public.nopk VALUES ('{"a":1}', '(1,2)', 1.5, 0, 'B'), ('{"a":1}', '(1,2)', 1.50, -0, 'a'),
  ('[1]', NULL, NULL, NULL, NULL), (NULL, NULL, NULL, NULL, NULL), (NULL, NULL, NULL, NULL, NULL);

CREATE TABLE public."User" ("ID" integer PRIMARY KEY, "e-mail" text UNIQUE, "order" text COLLATE "C" NOT NULL DEFAULT 'z');
INSERT INTO public."User" VALUES (1, 'a@b', 'x'), (2, NULL, 'y');

CREATE TABLE "Odd ""Sch"".ü"."Ta.ble ""Q"" Ü" (
  "select" integer CONSTRAINT "pk ""q""" PRIMARY KEY,
  "Col ""x"" é" "Odd ""Sch"".ü"."Weird Type" NOT NULL,
  "UPPER" text CONSTRAINT "chk ""q"".x" CHECK ("UPPER" <> ''),
  ref integer CONSTRAINT "fk to User" REFERENCES public."User" ("ID"));
CREATE INDEX "idx ""q"" ü" ON "Odd ""Sch"".ü"."Ta.ble ""Q"" Ü" ("UPPER", "Col ""x"" é");
INSERT INTO "Odd ""Sch"".ü"."Ta.ble ""Q"" Ü" VALUES (1, 'a''b', 'X', 1), (2, 'select', 'Y', NULL);
COMMENT ON TABLE "Odd ""Sch"".ü"."Ta.ble ""Q"" Ü" IS 'odd';
COMMENT ON COLUMN "Odd ""Sch"".ü"."Ta.ble ""Q"" Ü"."Col ""x"" é" IS 'odd column';
CREATE SEQUENCE "Odd ""Sch"".ü"."Seq ""q""" START 3;
SELECT nextval('"Odd ""Sch"".ü"."Seq ""q"""');

-- Reserved words as names of a schema, a type, a domain, a table, columns and constraints.
CREATE SCHEMA "select";
CREATE TYPE "select"."order" AS ENUM ('by', 'group');
CREATE DOMAIN "select"."Limit" AS integer CONSTRAINT "check" CHECK (VALUE >= 0);
CREATE TABLE "select"."from" ("where" "select"."order" CONSTRAINT "primary" PRIMARY KEY, "LIMIT" "select"."Limit",
  "user.name" text CONSTRAINT "unique" UNIQUE, "table" integer CONSTRAINT "foreign" REFERENCES public."User" ("ID") DEFERRABLE INITIALLY IMMEDIATE);
INSERT INTO "select"."from" VALUES ('by', 1, 'a.b', 1), ('group', 0, NULL, NULL);
`;

/** The fixture split where a commit is needed. */
export const POSTGRES_FIXTURE_SCRIPTS: readonly string[] = POSTGRES_FIXTURE_SQL.split(/^-- @commit.*$/m);
