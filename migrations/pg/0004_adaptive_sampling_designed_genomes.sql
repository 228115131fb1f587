ALTER TABLE "genomes" ADD COLUMN "design" text;--> statement-breakpoint
ALTER TABLE "probe_jobs" ADD COLUMN "adaptive" text;--> statement-breakpoint
ALTER TABLE "probe_jobs" ADD COLUMN "adaptive_report" text;