CREATE TABLE "benchmark_ranges" (
	"benchmark" text PRIMARY KEY NOT NULL,
	"low" double precision NOT NULL,
	"high" double precision NOT NULL
);
