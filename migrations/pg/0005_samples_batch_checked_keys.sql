ALTER TABLE "samples" DROP CONSTRAINT "samples_model_id_models_id_fk";
--> statement-breakpoint
ALTER TABLE "samples" DROP CONSTRAINT "samples_genome_id_gene_index_genes_genome_id_gene_index_fk";
