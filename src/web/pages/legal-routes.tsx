import type { ComponentChildren } from 'preact';
import { Page } from '../layout/page.js';
import { viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import type { ZodApp } from '../shared/schemas.js';
import type { ViewContext } from '../shared/view-context.js';

function LegalPage({ ctx, title, children }: { ctx: ViewContext; title: string; children: ComponentChildren }) {
  return (
    <Page ctx={ctx} title={title} breadcrumb={[{ label: 'Accueil', href: '/' }, { label: title }]}>
      <div class="fr-grid-row">
        <div class="fr-col-12 fr-col-md-9">
          <h1>{title}</h1>
          {children}
        </div>
      </div>
    </Page>
  );
}

const PAGES: Record<string, { title: string; body: (ctx: ViewContext) => ComponentChildren }> = {
  '/accessibilite': {
    title: 'Déclaration d’accessibilité',
    body: (ctx) => (
      <>
        <p>
          Le ministère chargé du Travail et des Solidarités s’engage à rendre ses services numériques accessibles, conformément à
          l’article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration s’applique au site {ctx.settings.serviceName}.
        </p>
        <h2>État de conformité</h2>
        <p>{`Le site est ${ctx.settings.accessibilityStatus} avec le référentiel général d’amélioration de l’accessibilité (RGAA), version 4.1.`}</p>
        <h2>Résultats des tests</h2>
        <p>
          Chaque page du site est contrôlée automatiquement avec axe-core (règles WCAG 2.1 A et AA) à chaque modification, sans
          aucune erreur tolérée. Ces contrôles ne couvrent qu’une partie des critères du RGAA : un audit complet par un organisme
          indépendant reste à conduire, c’est pourquoi le site ne se déclare pas totalement conforme.
        </p>
        <h2>Contenus non accessibles</h2>
        <ul>
          <li>Les pièces jointes déposées par les utilisateurs (captures d’écran, PDF) peuvent ne pas être accessibles.</li>
          <li>
            Le choix du thème d’affichage (clair ou sombre) demande JavaScript ; sans lui, le réglage du système s’applique.
          </li>
        </ul>
        <h2>Établissement de cette déclaration</h2>
        <p>Technologies utilisées : HTML, CSS, le Système de Design de l’État (DSFR). JavaScript n’est jamais indispensable.</p>
        <h2>Retour d’information et contact</h2>
        <p>
          {`Si vous n’arrivez pas à accéder à un contenu ou à un service, contactez l’assistance au ${ctx.settings.supportPhone} (${ctx.settings.supportHours}) pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme.`}
        </p>
        <h2>Voies de recours</h2>
        <p>
          Si vous constatez un défaut d’accessibilité vous empêchant d’accéder à un contenu ou à une fonctionnalité du site, que
          vous nous le signalez et que vous ne parvenez pas à obtenir une réponse de notre part, vous pouvez écrire un message au
          Défenseur des droits (https://formulaire.defenseurdesdroits.fr), contacter le délégué du Défenseur des droits dans votre
          région, ou envoyer un courrier (gratuit, sans timbre) à : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX
          07.
        </p>
        <h2>Schéma pluriannuel de mise en accessibilité</h2>
        <p>
          Chaque année : contrôle automatique de toutes les pages à chaque version, revue manuelle du parcours de dépôt et de
          suivi d’une demande au clavier et au lecteur d’écran, et correction des défauts relevés dans la version suivante. Un
          audit complet du RGAA est prévu avant toute déclaration de conformité totale.
        </p>
      </>
    ),
  },
  '/mentions-legales': {
    title: 'Mentions légales',
    body: (ctx) => (
      <>
        <h2>Éditeur</h2>
        <p>{`${ctx.settings.ministryName.replace(/\n/g, ' ')}, 14 avenue Duquesne, 75350 Paris SP 07.`}</p>
        <h2>Directeur de la publication</h2>
        <p>Le délégué général à l’emploi et à la formation professionnelle.</p>
        <h2>Hébergement</h2>
        <p>Le service est hébergé sur l’infrastructure des ministères sociaux, en France.</p>
        <h2>Logiciel</h2>
        <p>Le portail est un logiciel libre ; ses données restent sur l’infrastructure de l’administration.</p>
        <h2>Contact</h2>
        <p>{`Assistance : ${ctx.settings.supportPhone} (${ctx.settings.supportHours}).`}</p>
      </>
    ),
  },
  '/donnees-personnelles': {
    title: 'Données personnelles',
    body: () => (
      <>
        <h2>Responsable du traitement</h2>
        <p>La Délégation générale à l’emploi et à la formation professionnelle (DGEFP).</p>
        <h2>Finalité</h2>
        <p>Traiter les demandes d’assistance des utilisateurs des applications des ministères sociaux et en suivre la qualité.</p>
        <h2>Base légale</h2>
        <p>Mission d’intérêt public (article 6.1.e du règlement général sur la protection des données).</p>
        <h2>Données traitées</h2>
        <p>Identité, coordonnées professionnelles, structure, demandes, échanges et pièces jointes, journaux de connexion.</p>
        <h2>Durée de conservation</h2>
        <p>
          Les comptes inactifs sont signalés puis supprimés après 2 ans ; les demandes clôturées sont supprimées après la durée
          fixée par l’administrateur ; les journaux de connexion sont conservés 1 an.
        </p>
        <h2>Destinataires</h2>
        <p>Les agents de l’assistance (niveaux 1 et 2) et les administrateurs du portail, chacun pour ce qui le concerne.</p>
        <h2>Vos droits</h2>
        <p>
          Vous disposez des droits d’accès, de rectification, de limitation et d’opposition. Pour les exercer, écrivez au délégué
          à la protection des données des ministères sociaux (dpd@sg.social.gouv.fr). Vous pouvez adresser une réclamation à la
          CNIL (www.cnil.fr).
        </p>
      </>
    ),
  },
  '/cookies': {
    title: 'Gestion des cookies',
    body: () => (
      <>
        <p>
          Ce site dépose uniquement des cookies strictement nécessaires à son fonctionnement, exemptés de consentement : aucun
          bandeau n’est donc affiché.
        </p>
        <ul>
          <li>Un cookie de session, qui vous garde connecté(e) ; il disparaît à la déconnexion ou après expiration.</li>
          <li>Un cookie de sécurité, qui protège les formulaires contre les envois frauduleux.</li>
        </ul>
        <p>Aucun cookie de mesure d’audience ni de publicité n’est utilisé.</p>
      </>
    ),
  },
};

export async function legalRoutes(app: ZodApp) {
  for (const [path, page] of Object.entries(PAGES)) {
    app.get(path, async (request, reply) => {
      const ctx = await viewContext(request, reply);
      return sendPage(
        reply,
        <LegalPage ctx={ctx} title={page.title}>
          {page.body(ctx)}
        </LegalPage>,
      );
    });
  }
}
