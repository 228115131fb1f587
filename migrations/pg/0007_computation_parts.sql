CREATE TABLE "computation_parts" (
	"key" text NOT NULL,
	"part" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "computation_parts_key_part_pk" PRIMARY KEY("key","part")
);
--> statement-breakpoint
ALTER TABLE "computation_parts" ADD CONSTRAINT "computation_parts_key_computations_key_fk" FOREIGN KEY ("key") REFERENCES "public"."computations"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Parts are slices of float64 matrices, which pglz does not shrink: stored out of line without
-- trying (https://www.postgresql.org/docs/current/storage-toast.html, EXTERNAL), which also lets
-- `substring` read a slice's chunks only. Added by hand: drizzle-kit has no column storage setting.
ALTER TABLE "computation_parts" ALTER COLUMN "data" SET STORAGE EXTERNAL;
