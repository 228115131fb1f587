CREATE TABLE "computation_claims" (
	"key" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"until" bigint NOT NULL
);
